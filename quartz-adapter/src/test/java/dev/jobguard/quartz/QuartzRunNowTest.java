package dev.jobguard.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardMode;
import dev.jobguard.JobGuard;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.RunRequest;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.RunRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;

/** {@link JobGuardQuartz#runNow}: a guarded Quartz job run once now, outside its schedule, on the calling thread. */
class QuartzRunNowTest {

    private HikariDataSource pool;
    private TestJobs.Fixture fixture;
    private JobGuard guard;
    private Scheduler scheduler;
    private JobGuardQuartz installed;
    // a job of its own per test: the state store's database outlives a test
    private final JobKey key = JobKey.jobKey("cancel-" + TestDatabases.unique(), "billing");
    private final String name = key.toString();

    @BeforeEach
    void setUp() throws Exception {
        pool = TestDatabases.H2.pool("quartz-run-now", 4);
        fixture = new TestJobs.Fixture(GuardedDataSource.wrap(pool), "quartz_invoices_" + TestDatabases.unique());
        fixture.createInvoices();
        guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(pool))
                .nodeName("run-now")
                .build();
        scheduler = RamJobStoreQuartzTest.scheduler(2);
        installed = JobGuardQuartz.install(scheduler, guard);
        scheduler.start();
        // stored without a trigger: it runs only when run now
        scheduler.addJob(
                JobBuilder.newJob(TestJobs.CancelInvoicesJob.class)
                        .withIdentity(key)
                        .usingJobData(TestJobs.FIXTURE, fixture.id)
                        .storeDurably()
                        .build(),
                false);
    }

    @AfterEach
    void tearDown() throws Exception {
        scheduler.shutdown(true);
        installed.close();
        fixture.dropInvoices();
        fixture.close();
        guard.close();
        pool.close();
    }

    @Test
    void aDryRunNowExecutesTheJobOnceAndChangesNoRowAndReportsWhatItWouldHaveChanged() throws Exception {
        fixture.buggy = false; // cancels invoice 1, within its limit of 5
        RunRequest request = RunRequest.of(GuardMode.DRY_RUN, "alice", "quartz");

        RunReport report = installed.runNow(key, request);

        assertThat(report.runId()).isEqualTo(request.runId());
        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(report.rowsChanged(fixture.table, Operation.UPDATE)).isEqualTo(1);
        assertThat(fixture.executions.get()).isEqualTo(1);
        assertThat(fixture.cancelled()).isZero();
        RunRecord record = guard.run(request.runId()).orElseThrow();
        assertThat(record.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(record.rowsCommitted()).isZero();
        assertThat(record.detail()).isEqualTo("run now by alice via quartz, asked for DRY_RUN");
    }

    @Test
    void aDryRunNowOfTheBuggyJobTripsWithoutDisablingOrPausingIt() throws Exception {
        RunReport report = installed.runNow(key, RunRequest.of(GuardMode.DRY_RUN, "alice", "quartz"));

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().describe()).contains("maxRowsChanged"); // counted before it ran
        assertThat(fixture.cancelled()).isZero();
        assertThat(guard.state(name).job().isDisabled()).isFalse();
        assertThat(scheduler.getJobDetail(key).getJobDataMap().containsKey(JobGuardQuartz.KEY_PAUSED_BY_GUARD))
                .isFalse();
    }

    @Test
    void aRunNowOfADisabledJobIsSkippedAndTheJobIsNotExecuted() throws Exception {
        guard.disable(name, "INC-3", "bob");

        RunReport report = installed.runNow(key, RunRequest.of(GuardMode.DRY_RUN, "alice", "quartz"));

        assertThat(report.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(report.detail().orElseThrow()).contains("DISABLED", "INC-3", "run now by alice");
        assertThat(fixture.executions.get()).isZero();
    }

    @Test
    void anUnknownOrUnguardedJobIsRefusedWithItsKey() throws Exception {
        assertThatThrownBy(() -> installed.runNow(JobKey.jobKey("nope"), RunRequest.of(null, "alice", "quartz")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("has no job DEFAULT.nope");
        JobKey plain = JobKey.jobKey("plain", "billing");
        scheduler.addJob(
                JobBuilder.newJob(TestJobs.PlainCancelInvoicesJob.class)
                        .withIdentity(plain)
                        .usingJobData(TestJobs.FIXTURE, fixture.id)
                        .storeDurably()
                        .build(),
                false);
        assertThatThrownBy(() -> installed.runNow(plain, RunRequest.of(null, "alice", "quartz")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("billing.plain is not guarded")
                .hasMessageContaining(JobGuardQuartz.KEY_GUARDED);
        assertThat(fixture.executions.get()).isZero();
    }
}
