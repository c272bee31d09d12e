package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.StateStore;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.transaction.annotation.Transactional;

/** Guarded jobs used the way applications write them: async, class-level transactions, values, two DataSources. */
class SchedulingScenariosTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JobGuardAutoConfiguration.class))
            .withUserConfiguration(H2Jobs.DataSourceConfig.class, H2Jobs.TransactionConfig.class, Jobs.class);

    @Test
    void anAsyncJobIsGuardedOnTheExecutorThread() {
        runner.withUserConfiguration(AsyncConfig.class).run(context -> {
            ScenarioJobs jobs = context.getBean(ScenarioJobs.class);
            JobGuard guard = context.getBean(JobGuard.class);
            jobs.asyncCancelAll();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !guard.runs("async-cancel", 1).isEmpty());
            assertThat(guard.runs("async-cancel", 1).get(0).outcome()).isEqualTo(RunOutcome.TRIPPED);
            assertThat(jobs.cancelled()).isZero();
            assertThat(jobs.asyncValue().get(10, TimeUnit.SECONDS)).isEqualTo("done");
        });
    }

    @Test
    void aClassLevelTransactionalJobTripsAndRollsBack() {
        runner.run(context -> {
            ClassTransactionalJob job = context.getBean(ClassTransactionalJob.class);
            JobGuard guard = context.getBean(JobGuard.class);
            job.cancelAll();
            assertThat(guard.runs("class-tx", 1).get(0).outcome()).isEqualTo(RunOutcome.TRIPPED);
            assertThat(count(context.getBean(JdbcTemplate.class))).isZero();
        });
    }

    @Test
    void guardedJobOnABeansClassFailsTheStartInsteadOfLeavingItsMethodsUnguarded() {
        runner.withUserConfiguration(ClassAnnotatedConfig.class)
                .run(context -> assertThat(JobGuardAutoConfigurationTest.cause(context))
                        .hasMessageContaining("@GuardedJob on class " + ClassAnnotatedJob.class.getName())
                        .hasMessageContaining("annotate each job method"));
    }

    @Test
    void aJobsCheckedExceptionIsRethrownAsIs() {
        runner.run(context -> {
            ScenarioJobs jobs = context.getBean(ScenarioJobs.class);
            assertThatThrownBy(jobs::throwsChecked)
                    .isInstanceOf(IOException.class)
                    .hasMessage("disk full");
        });
    }

    @Test
    void aSkippedJobReturningOptionalOrAFutureReturnsAnEmptyOneNotNull() {
        runner.run(context -> {
            ScenarioJobs jobs = context.getBean(ScenarioJobs.class);
            JobGuard guard = context.getBean(JobGuard.class);
            assertThat(jobs.optional()).contains("value");
            guard.disable("optional-job", "test", "test");
            guard.disable("future-job", "test", "test");
            assertThat(jobs.optional()).isEmpty();
            assertThat(jobs.future()).isCompletedWithValue(null);
        });
    }

    @Test
    void twoJobsRunAtOnceOnAMultiThreadedSchedulerEachCountedOnItsOwn() throws Exception {
        runner.run(context -> {
            ScenarioJobs jobs = context.getBean(ScenarioJobs.class);
            JobGuard guard = context.getBean(JobGuard.class);
            ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();
            scheduler.setPoolSize(2);
            scheduler.initialize();
            try {
                scheduler.schedule(jobs::slowCancelTwo, java.time.Instant.now());
                scheduler.schedule(jobs::cancelAll, java.time.Instant.now());
                await().atMost(Duration.ofSeconds(10))
                        .until(() -> finished(guard, "slow-two") && finished(guard, "scenario-cancel-all"));
            } finally {
                scheduler.shutdown();
            }
            assertThat(guard.runs("slow-two", 1).get(0).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(guard.runs("slow-two", 1).get(0).rowsChanged()).isEqualTo(2);
            assertThat(guard.runs("scenario-cancel-all", 1).get(0).outcome()).isEqualTo(RunOutcome.TRIPPED);
            assertThat(count(context.getBean(JdbcTemplate.class))).isEqualTo(2);
        });
    }

    @Test
    void withASecondDataSourceExcludedTheStateStoreIsOnTheGuardedOne() {
        new ApplicationContextRunner()
                .withConfiguration(AutoConfigurations.of(JobGuardAutoConfiguration.class))
                .withUserConfiguration(H2Jobs.DataSourceConfig.class, ReportingDataSourceConfig.class)
                .withPropertyValues("jobguard.datasource.exclude=reportingDataSource")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean("reportingDataSource")).isNotInstanceOf(GuardedDataSource.class);
                    assertThat(context.getBean(StateStore.class)).isInstanceOf(JdbcStateStore.class);
                });
    }

    @Test
    void aJobAnnotatedOnItsInterfaceIsGuardedWhenTheAppAsksForJdkProxies() {
        runner.withConfiguration(
                        AutoConfigurations.of(org.springframework.boot.autoconfigure.aop.AopAutoConfiguration.class))
                .withPropertyValues("spring.aop.proxy-target-class=false")
                .withUserConfiguration(InterfaceJobConfig.class)
                .run(context -> {
                    InterfaceJob job = context.getBean(InterfaceJob.class);
                    job.cancelAll();
                    assertThat(count(context.getBean(JdbcTemplate.class))).isZero();
                    assertThat(context.getBean(JobGuard.class)
                                    .runs("interface-job", 1)
                                    .get(0)
                                    .outcome())
                            .isEqualTo(RunOutcome.TRIPPED);
                });
    }

    static boolean finished(JobGuard guard, String job) {
        return !guard.runs(job, 1).isEmpty() && guard.runs(job, 1).get(0).outcome() != null;
    }

    static int count(JdbcTemplate jdbc) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM invoices WHERE status = 'CANCELLED'", Integer.class);
        return count == null ? 0 : count;
    }

    @Configuration(proxyBeanMethods = false)
    static class Jobs {
        @Bean
        ScenarioJobs scenarioJobs(JdbcTemplate jdbc) {
            return new ScenarioJobs(jdbc);
        }

        @Bean
        ClassTransactionalJob classTransactionalJob(JdbcTemplate jdbc) {
            return new ClassTransactionalJob(jdbc);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class InterfaceJobConfig {
        @Bean
        InterfaceJob interfaceJob(JdbcTemplate jdbc) {
            return new InterfaceJobImpl(jdbc);
        }
    }

    public interface InterfaceJob {
        @GuardedJob(name = "interface-job", maxRowsChanged = 5)
        void cancelAll();
    }

    public static class InterfaceJobImpl implements InterfaceJob {
        private final JdbcTemplate jdbc;

        public InterfaceJobImpl(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Override
        public void cancelAll() {
            jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
        }
    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class AsyncConfig {}

    @Configuration(proxyBeanMethods = false)
    static class ClassAnnotatedConfig {
        @Bean
        ClassAnnotatedJob classAnnotatedJob(JdbcTemplate jdbc) {
            return new ClassAnnotatedJob(jdbc);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class ReportingDataSourceConfig {
        @Bean
        HikariDataSource reportingDataSource() {
            HikariDataSource pool = new HikariDataSource();
            pool.setJdbcUrl("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
            pool.setUsername("sa");
            return pool;
        }
    }

    public static class ScenarioJobs {
        private final JdbcTemplate jdbc;

        public ScenarioJobs(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Async
        @GuardedJob(name = "async-cancel", maxRowsChanged = 5)
        public void asyncCancelAll() {
            jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
        }

        @Async
        @GuardedJob(name = "async-value")
        public CompletableFuture<String> asyncValue() {
            return CompletableFuture.completedFuture("done");
        }

        @GuardedJob(name = "scenario-cancel-all", maxRowsChanged = 5)
        public void cancelAll() {
            jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND id > 2");
        }

        @GuardedJob(name = "slow-two", maxRowsChanged = 5)
        public void slowCancelTwo() {
            jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE id = 1");
            try {
                Thread.sleep(300);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
            }
            jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE id = 2");
        }

        @GuardedJob(name = "checked")
        public void throwsChecked() throws IOException {
            throw new IOException("disk full");
        }

        @GuardedJob(name = "optional-job")
        public Optional<String> optional() {
            return Optional.of("value");
        }

        @GuardedJob(name = "future-job")
        public CompletableFuture<String> future() {
            return CompletableFuture.completedFuture("value");
        }

        public int cancelled() {
            return count(jdbc);
        }
    }

    @Transactional
    public static class ClassTransactionalJob {
        private final JdbcTemplate jdbc;

        public ClassTransactionalJob(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @GuardedJob(name = "class-tx", maxRowsChanged = 5)
        public void cancelAll() {
            jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE id = 1");
            jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
        }
    }

    @GuardedJob(name = "class-annotated", maxRowsChanged = 5)
    public static class ClassAnnotatedJob {
        private final JdbcTemplate jdbc;

        public ClassAnnotatedJob(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        public void cancelAll() {
            jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
        }
    }
}
