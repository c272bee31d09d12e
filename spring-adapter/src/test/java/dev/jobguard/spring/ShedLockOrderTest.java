package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.state.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import net.javacrumbs.shedlock.spring.annotation.EnableSchedulerLock;
import net.javacrumbs.shedlock.spring.annotation.SchedulerLock;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

/**
 * The documented order on a method with {@code @GuardedJob}, {@code @SchedulerLock} and {@code @Transactional}: the
 * guard is outermost, then ShedLock's lock, then the transaction. The guard takes ShedLock's LockProvider bean itself
 * (lock {@code jobguard-<job>}), so a run locked out by another node is recorded as SKIPPED and never as an empty
 * success.
 */
class ShedLockOrderTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JobGuardAutoConfiguration.class))
            .withUserConfiguration(H2Jobs.DataSourceConfig.class, H2Jobs.TransactionConfig.class, LockConfig.class);

    @Test
    void theGuardWrapsShedLockWhichWrapsTheTransaction() {
        runner.run(context -> {
            LockedJob job = context.getBean(LockedJob.class);
            JobGuardAutoConfigurationTest.assertAdvisorsOutsideIn(
                    job, GuardedJobAdvisor.class, "MethodProxyScheduledLockAdvisor");
            JobGuardAutoConfigurationTest.assertAdvisorsOutsideIn(
                    job, GuardedJobAdvisor.class, "TransactionAttributeSourceAdvisor");

            job.run();

            assertThat(job.executions()).isEqualTo(1);
            JobGuard guard = context.getBean(JobGuard.class);
            RunRecord run = guard.runs("locked-job", 1).get(0);
            assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(run.rowsChanged()).isEqualTo(H2Jobs.INVOICES);
        });
    }

    @Test
    void aRunLockedOutByAnotherNodeIsSkippedAndRecorded() {
        runner.run(context -> {
            LockProvider locks = context.getBean(LockProvider.class);
            Optional<SimpleLock> otherNode = locks.lock(
                    new LockConfiguration(Instant.now(), "jobguard-locked-job", Duration.ofMinutes(1), Duration.ZERO));
            assertThat(otherNode).isPresent();
            LockedJob job = context.getBean(LockedJob.class);

            job.run();

            assertThat(job.executions()).isZero();
            RunRecord run =
                    context.getBean(JobGuard.class).runs("locked-job", 1).get(0);
            assertThat(run.outcome()).isEqualTo(RunOutcome.SKIPPED);
            assertThat(run.detail()).contains("LOCKED");
            otherNode.get().unlock();

            job.run();
            assertThat(job.executions()).isEqualTo(1);
        });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableSchedulerLock(defaultLockAtMostFor = "PT1M")
    static class LockConfig {
        @Bean
        LockProvider lockProvider(DataSource dataSource, JdbcTemplate jdbc) {
            jdbc.execute("CREATE TABLE shedlock (name VARCHAR(64) PRIMARY KEY, lock_until TIMESTAMP(3),"
                    + " locked_at TIMESTAMP(3), locked_by VARCHAR(255))");
            return new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                    .withJdbcTemplate(new JdbcTemplate(dataSource))
                    .usingDbTime()
                    .build());
        }

        @Bean
        LockedJob lockedJob(JdbcTemplate jdbc) {
            return new LockedJob(jdbc);
        }
    }

    public static class LockedJob {
        private final JdbcTemplate jdbc;
        private final AtomicInteger executions = new AtomicInteger();

        public LockedJob(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @Transactional
        @SchedulerLock(name = "locked-job")
        @GuardedJob(name = "locked-job", maxRowsChanged = 100)
        public void run() {
            executions.incrementAndGet();
            jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
        }

        public int executions() {
            return executions.get();
        }
    }
}
