package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.journal.RevertReport;
import dev.jobguard.state.InMemoryStateStore;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.JobStatus;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStore;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

class JobGuardAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JobGuardAutoConfiguration.class))
            .withPropertyValues("jobguard.node-name=test-node");

    private final ApplicationContextRunner withJobs = runner.withUserConfiguration(
            H2Jobs.DataSourceConfig.class, H2Jobs.TransactionConfig.class, H2Jobs.JobsConfig.class);

    @Test
    void registersTheGuardWithAnInMemoryStoreWhenThereIsNoDataSource() {
        runner.run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(JobGuard.class);
            assertThat(context).hasSingleBean(GuardedJobAdvisor.class);
            assertThat(context).hasSingleBean(PolicyResolver.class);
            assertThat(context).hasSingleBean(JobGuardProperties.class);
            assertThat(context.getBean(StateStore.class)).isInstanceOf(InMemoryStateStore.class);
        });
    }

    @Test
    void wrapsDataSourceBeansAndKeepsThePoolReachableThroughUnwrap() {
        withJobs.run(context -> {
            DataSource dataSource = context.getBean(DataSource.class);
            assertThat(dataSource).isInstanceOf(GuardedDataSource.class);
            assertThat(dataSource.isWrapperFor(HikariDataSource.class)).isTrue();
            assertThat(dataSource.unwrap(HikariDataSource.class)).isInstanceOf(HikariDataSource.class);
            assertThat(context.getBean(StateStore.class)).isInstanceOf(JdbcStateStore.class);
        });
    }

    @Test
    void leavesExcludedDataSourcesAndEverythingWhenWrappingIsOff() {
        withJobs.withPropertyValues("jobguard.datasource.exclude=dataSource")
                .run(context -> assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class));
        withJobs.withPropertyValues("jobguard.datasource.wrap=false")
                .run(context -> assertThat(context.getBean(DataSource.class)).isInstanceOf(HikariDataSource.class));
    }

    @Test
    void backsOffWhenTheApplicationDefinesItsOwnBeans() {
        runner.withUserConfiguration(OwnGuard.class).run(context -> {
            assertThat(context).hasSingleBean(JobGuard.class);
            assertThat(context.getBean(JobGuard.class)).isSameAs(context.getBean("ownGuard"));
            assertThat(context.getBean(StateStore.class)).isSameAs(context.getBean("ownStore"));
        });
    }

    @Test
    void bindsJobPropertiesOverTheAnnotation() {
        withJobs.withPropertyValues(
                        "jobguard.jobs.cancel-overdue-invoices.mode=dry-run",
                        "jobguard.jobs.cancel-overdue-invoices.max-rows-changed=1000",
                        "jobguard.jobs.cancel-overdue-invoices.max-rows-per-statement=100",
                        "jobguard.jobs.cancel-overdue-invoices.tables.invoices=200",
                        "jobguard.jobs.cancel-overdue-invoices.anomaly.factor=20",
                        "jobguard.jobs.cancel-overdue-invoices.anomaly.min-rows=70",
                        "jobguard.jobs.cancel-overdue-invoices.max-consecutive-failures=7")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    PolicyResolver resolver = context.getBean(PolicyResolver.class);
                    GuardPolicy policy =
                            resolver.resolve(H2Jobs.InvoiceJobs.class.getMethod("cancelAll"), H2Jobs.InvoiceJobs.class);
                    assertThat(policy.jobName()).isEqualTo("cancel-overdue-invoices");
                    assertThat(policy.mode()).isEqualTo(GuardMode.DRY_RUN);
                    assertThat(policy.maxRowsChanged().getAsLong()).isEqualTo(1000);
                    assertThat(policy.maxRowsPerStatement().getAsLong()).isEqualTo(100);
                    assertThat(policy.tableLimits()).containsEntry("invoices", 200L);
                    assertThat(policy.anomaly().factor()).isEqualTo(20.0);
                    assertThat(policy.anomaly().minRows()).isEqualTo(70);
                    assertThat(policy.maxConsecutiveFailures()).isEqualTo(7);
                    assertThat(resolver.knownJobs())
                            .contains("cancel-overdue-invoices", "tx-cancel", "tx-dry-run", "fails")
                            .contains("invoice-jobs-unnamed");
                });
    }

    @Test
    void aJobJournaledThroughPropertiesIsRevertedFromTheStateStoresDatabase() {
        withJobs.withPropertyValues(
                        "jobguard.jobs.cancel-overdue-invoices.max-rows-changed=100",
                        "jobguard.jobs.cancel-overdue-invoices.journal=true",
                        "jobguard.journal.exclude-columns=users.password_hash,*.ssn")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    JobGuard guard = context.getBean(JobGuard.class);
                    assertThat(guard.changeJournal().excludes("users", "password_hash"))
                            .isTrue();
                    assertThat(guard.changeJournal().excludes("people", "ssn")).isTrue();
                    H2Jobs.InvoiceJobs jobs = context.getBean(H2Jobs.InvoiceJobs.class);

                    jobs.cancelAll();
                    assertThat(jobs.cancelled()).isEqualTo(H2Jobs.INVOICES);
                    String runId =
                            guard.runs("cancel-overdue-invoices", 1).get(0).runId();
                    RevertReport report = guard.revert(runId, RevertOptions.DEFAULTS.withActor("ops"));

                    assertThat(report.rowsReverted()).isEqualTo(H2Jobs.INVOICES);
                    assertThat(jobs.cancelled()).isZero();
                });
    }

    @Test
    void anInvalidExcludedJournalColumnFailsTheStartNamingTheProperty() {
        withJobs.withPropertyValues("jobguard.journal.exclude-columns=password")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("table.column")
                        .hasMessageContaining("jobguard.journal.exclude-columns"));
    }

    @Test
    void failsTheStartOnAnUnknownModeNamingTheJobAndTheProperty() {
        withJobs.withPropertyValues("jobguard.jobs.cancel-overdue-invoices.mode=sideways")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("job 'cancel-overdue-invoices'")
                        .hasMessageContaining("jobguard.jobs.cancel-overdue-invoices.mode")
                        .hasMessageContaining("use enforce, observe or dry-run"));
    }

    @Test
    void failsTheStartOnANegativeLimitEvenForAJobWithoutAMethod() {
        runner.withPropertyValues("jobguard.jobs.nightly-purge.max-rows-changed=-5")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("job 'nightly-purge'")
                        .hasMessageContaining("jobguard.jobs.nightly-purge.max-rows-changed"));
    }

    @Test
    void failsTheStartOnATableLimitWithoutATableOrWithoutAValue() {
        runner.withPropertyValues("jobguard.jobs.nightly-purge.tables.invoices=-1")
                .run(context ->
                        assertThat(cause(context)).hasMessageContaining("jobguard.jobs.nightly-purge.tables.invoices"));
        runner.withPropertyValues("jobguard.jobs.nightly-purge.tables[ ]=10")
                .run(context -> assertThat(context).getFailure().rootCause().hasMessageContaining("nightly-purge"));
    }

    @Test
    void ignoredTablesAddsPatternsToTheDefaultIgnoredTables() {
        withJobs.withPropertyValues("jobguard.ignored-tables=audit_*,Scratch").run(context -> {
            JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
            for (String table : List.of("audit_log", "scratch", "batch_step_execution", "qrtz_locks")) {
                jdbc.execute("CREATE TABLE " + table + " (id INT PRIMARY KEY)");
            }
            GuardPolicy policy =
                    GuardPolicy.builder("ignored-tables").maxRowsChanged(1).build();

            RunReport report = context.getBean(JobGuard.class).run(policy, () -> {
                for (String table : List.of("audit_log", "scratch", "batch_step_execution", "qrtz_locks")) {
                    jdbc.update("INSERT INTO " + table + " VALUES (1), (2)");
                }
                jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE id = 1");
            });

            assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(report.rowsByTable()).containsOnlyKeys("invoices");
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM batch_step_execution", Integer.class))
                    .isEqualTo(2);
        });
    }

    @Test
    void failsTheStartOnAnInvalidIgnoredTablePatternNamingThePropertyAndTheFix() {
        withJobs.withPropertyValues("jobguard.ignored-tables=audit_*,batch_*_old")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("jobguard.ignored-tables")
                        .hasMessageContaining("'batch_*_old'")
                        .hasMessageContaining("a prefix followed by '*'"));
    }

    @Test
    void failsTheStartOnAnInvalidAbandonAfterOrSandboxLockTimeoutNamingTheProperty() {
        withJobs.withPropertyValues("jobguard.abandon-after=0s")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("invalid jobguard.abandon-after=PT0S")
                        .hasMessageContaining("use a positive duration"));
        withJobs.withPropertyValues("jobguard.sandbox-lock-timeout=2d")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("invalid jobguard.sandbox-lock-timeout=PT48H")
                        .hasMessageContaining("at most a day"));
        withJobs.withPropertyValues("jobguard.abandon-after=2h", "jobguard.sandbox-lock-timeout=10s")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void failsTheStartOnAGuardedMethodTheProxyCannotReach() {
        runner.withUserConfiguration(FinalJobConfig.class)
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("FinalJob.run()")
                        .hasMessageContaining("would run unguarded")
                        .hasMessageContaining("kotlin-spring"));
    }

    @Test
    void failsTheStartOnAGuardedJobInAFinalClassAsKotlinCompilesOneNamingTheFix() {
        runner.withUserConfiguration(FinalClassJobConfig.class)
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("FinalClassJob.run()")
                        .hasMessageContaining("is final")
                        .hasMessageContaining("would run unguarded")
                        .hasMessageContaining("kotlin-spring compiler plugin"));
    }

    @Test
    void failsTheStartOnAGuardedJobReturningAMonoOrAFluxAsItsWorkWouldRunAfterTheRun() {
        runner.withUserConfiguration(MonoJobConfig.class)
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("ReactiveJobs.cancelAll()")
                        .hasMessageContaining("returns reactor.core.publisher.Mono")
                        .hasMessageContaining("would run unguarded"));
        runner.withUserConfiguration(FluxJobConfig.class)
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("FluxJobs.cancelAll()")
                        .hasMessageContaining("returns reactor.core.publisher.Flux"));
    }

    @Test
    void failsTheStartOnAGuardedKotlinSuspendFunction() {
        runner.withUserConfiguration(SuspendJobConfig.class)
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("SuspendJobs.cancelAll()")
                        .hasMessageContaining("Kotlin suspend function")
                        .hasMessageContaining("would run in a coroutine after the guarded run has ended"));
    }

    @Test
    void startsWithAGuardedJobReturningAFutureWhichRunsGuardedWhereItIsCalled() {
        runner.withUserConfiguration(FutureJobConfig.class)
                .run(context -> assertThat(context).hasNotFailed().hasSingleBean(FutureJobs.class));
    }

    @Test
    void failsTheStartOnAGuardedMethodReturningAPrimitive() {
        runner.withUserConfiguration(PrimitiveJobConfig.class)
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("PrimitiveJob.count()")
                        .hasMessageContaining("returns int"));
    }

    @Test
    void failsTheStartWhenTwoMethodsShareAJobName() {
        runner.withUserConfiguration(DuplicateJobConfig.class)
                .run(context -> assertThat(cause(context)).hasMessageContaining("job name 'twice' is used by both"));
    }

    @Test
    void aTripRollsBackDisablesTheJobSkipsTheNextRunAndPublishesAnEvent() {
        withJobs.run(context -> {
            H2Jobs.InvoiceJobs jobs = context.getBean(H2Jobs.InvoiceJobs.class);
            JobGuard guard = context.getBean(JobGuard.class);
            assertThat(AopUtils.isAopProxy(jobs)).isTrue();

            jobs.cancelAll();

            assertThat(jobs.cancelled()).isZero();
            assertThat(guard.state("cancel-overdue-invoices").job().status()).isEqualTo(JobStatus.DISABLED);
            assertThat(guard.runs("cancel-overdue-invoices", 1).get(0).outcome())
                    .isEqualTo(RunOutcome.TRIPPED);

            jobs.cancelAll();

            assertThat(jobs.executions()).isEqualTo(1);
            List<RunRecord> runs = guard.runs("cancel-overdue-invoices", 5);
            assertThat(runs.get(0).outcome()).isEqualTo(RunOutcome.SKIPPED);
            assertThat(runs.get(0).node()).isEqualTo("test-node");

            H2Jobs.TripEvents events = context.getBean(H2Jobs.TripEvents.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> !events.events().isEmpty());
            assertThat(events.events().get(0).getJob()).isEqualTo("cancel-overdue-invoices");
            assertThat(events.events().get(0).getTrip().disabled()).isTrue();
        });
    }

    @Test
    void theGuardWrapsTheTransactionInEnforceAndDryRun() {
        withJobs.run(context -> {
            H2Jobs.InvoiceJobs jobs = context.getBean(H2Jobs.InvoiceJobs.class);
            JobGuard guard = context.getBean(JobGuard.class);
            assertAdvisorsOutsideIn(jobs, GuardedJobAdvisor.class, "TransactionAttributeSourceAdvisor");

            jobs.transactionalCancelAll();
            assertThat(jobs.cancelled()).isZero();
            assertThat(guard.runs("tx-cancel", 1).get(0).outcome()).isEqualTo(RunOutcome.TRIPPED);

            jobs.transactionalDryRun();
            assertThat(jobs.cancelled()).isZero();
            RunRecord dryRun = guard.runs("tx-dry-run", 1).get(0);
            assertThat(dryRun.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(dryRun.mode()).isEqualTo(GuardMode.DRY_RUN);
            assertThat(dryRun.rowsChanged()).isEqualTo(H2Jobs.INVOICES);
        });
    }

    @Test
    void aFailedRunRethrowsTheJobsOwnException() {
        withJobs.run(context -> {
            H2Jobs.InvoiceJobs jobs = context.getBean(H2Jobs.InvoiceJobs.class);
            assertThatThrownBy(jobs::fails)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessage("the job's own failure");
            assertThat(context.getBean(JobGuard.class).runs("fails", 1).get(0).outcome())
                    .isEqualTo(RunOutcome.FAILED);
        });
    }

    @Test
    void jobguardEnabledFalseSkipsEveryGuardedJob() {
        withJobs.withPropertyValues("jobguard.enabled=false").run(context -> {
            H2Jobs.InvoiceJobs jobs = context.getBean(H2Jobs.InvoiceJobs.class);
            jobs.cancelAll();
            jobs.unnamed();
            assertThat(jobs.executions()).isZero();
            assertThat(jobs.cancelled()).isZero();
        });
    }

    /** The most specific cause of the context's start failure (the message the user reads at the bottom). */
    static Throwable cause(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
        Throwable failure = context.getStartupFailure();
        assertThat(failure).as("the context should have failed to start").isNotNull();
        return org.springframework.core.NestedExceptionUtils.getMostSpecificCause(failure);
    }

    static void assertAdvisorsOutsideIn(Object proxy, Class<?> outer, String innerSimpleName) {
        List<String> names = java.util.Arrays.stream(((Advised) proxy).getAdvisors())
                .map(advisor -> advisor.getClass().getSimpleName())
                .toList();
        int outerIndex = names.indexOf(outer.getSimpleName());
        int innerIndex = -1;
        for (int i = 0; i < names.size(); i++) {
            if (names.get(i).contains(innerSimpleName)) {
                innerIndex = i;
            }
        }
        assertThat(outerIndex).as("advisors %s", names).isNotNegative();
        assertThat(innerIndex).as("advisors %s", names).isGreaterThan(outerIndex);
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnGuard {
        @Bean
        StateStore ownStore() {
            return new InMemoryStateStore();
        }

        @Bean
        JobGuard ownGuard(StateStore ownStore) {
            return JobGuard.builder().stateStore(ownStore).build();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FinalJobConfig {
        @Bean
        FinalJob finalJob() {
            return new FinalJob();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class PrimitiveJobConfig {
        @Bean
        PrimitiveJob primitiveJob() {
            return new PrimitiveJob();
        }
    }

    public static class PrimitiveJob {
        @GuardedJob(name = "primitive-job")
        public int count() {
            return 1;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class DuplicateJobConfig {
        @Bean
        DuplicateJob duplicateJob() {
            return new DuplicateJob();
        }
    }

    public static class DuplicateJob {
        @GuardedJob(name = "twice")
        public void first() {}

        @GuardedJob(name = "twice")
        public void second() {}
    }

    public static class FinalJob {
        @GuardedJob(name = "final-job")
        public final void run() {}
    }

    @Configuration(proxyBeanMethods = false)
    static class FinalClassJobConfig {
        @Bean
        FinalClassJob finalClassJob() {
            return new FinalClassJob();
        }
    }

    /** What the Kotlin compiler makes of {@code class FinalClassJob { @GuardedJob fun run() {} }}. */
    public static final class FinalClassJob {
        @GuardedJob(name = "final-class-job")
        public void run() {}
    }

    @Configuration(proxyBeanMethods = false)
    static class MonoJobConfig {
        @Bean
        ReactiveJobs reactiveJobs() {
            return new ReactiveJobs();
        }
    }

    public static class ReactiveJobs {
        @GuardedJob(name = "reactive-job")
        public reactor.core.publisher.Mono<Void> cancelAll() {
            return reactor.core.publisher.Mono.empty();
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FluxJobConfig {
        @Bean
        FluxJobs fluxJobs() {
            return new FluxJobs();
        }
    }

    public static class FluxJobs {
        @GuardedJob(name = "flux-job")
        public reactor.core.publisher.Flux<Integer> cancelAll() {
            return reactor.core.publisher.Flux.just(1);
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class SuspendJobConfig {
        @Bean
        SuspendJobs suspendJobs() {
            return new SuspendJobs();
        }
    }

    /** What the Kotlin compiler makes of {@code open class SuspendJobs { @GuardedJob open suspend fun cancelAll() {} }}. */
    public static class SuspendJobs {
        @GuardedJob(name = "suspend-job")
        public Object cancelAll(kotlin.coroutines.Continuation<? super kotlin.Unit> continuation) {
            return kotlin.Unit.INSTANCE;
        }
    }

    @Configuration(proxyBeanMethods = false)
    static class FutureJobConfig {
        @Bean
        FutureJobs futureJobs() {
            return new FutureJobs();
        }
    }

    public static class FutureJobs {
        @GuardedJob(name = "future-job")
        public java.util.concurrent.CompletableFuture<String> cancelAll() {
            return java.util.concurrent.CompletableFuture.completedFuture("done");
        }
    }
}
