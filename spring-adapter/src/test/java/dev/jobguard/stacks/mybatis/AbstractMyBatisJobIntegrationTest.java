package dev.jobguard.stacks.mybatis;

import static dev.jobguard.stacks.mybatis.MyBatisInvoiceApp.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardMode;
import dev.jobguard.JobGuard;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.stacks.StackInvoices;
import dev.jobguard.state.JobStatus;
import dev.jobguard.state.RunRecord;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * jobguard under MyBatis in a Spring Boot application configured by {@code mybatis-spring-boot-starter}: mapper
 * calls on the simple executor and on the batch executor (whose JDBC batches are sent when the Spring transaction
 * commits) are counted per table; a run over its limit trips and changes nothing; a dry run reports what it would
 * change. One subclass per database.
 */
@SpringBootTest(
        classes = MyBatisInvoiceApp.class,
        properties = {
            "jobguard.state-store.table-prefix=jgmybatis_",
            // a small pool: a dry run of a job that takes a connection per statement must not exhaust it
            "spring.datasource.hikari.maximum-pool-size=3",
            "spring.datasource.hikari.connection-timeout=5000"
        })
abstract class AbstractMyBatisJobIntegrationTest {

    static final String[] TABLES = {"jgmybatis_", PREFIX};

    @Autowired
    JobGuard guard;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    MyBatisInvoiceApp.InvoiceJobs jobs;

    @BeforeEach
    void freshInvoicesAndEnabledJobs() {
        StackInvoices.reset(jdbc, PREFIX);
        for (String job : List.of(
                MyBatisInvoiceApp.CANCEL,
                MyBatisInvoiceApp.CANCEL_BUGGY,
                MyBatisInvoiceApp.ONE_BY_ONE,
                MyBatisInvoiceApp.BATCH_CANCEL,
                MyBatisInvoiceApp.BATCH_CANCEL_BUGGY)) {
            guard.enable(job, "test starts afresh", "test");
        }
    }

    @Test
    void mapperCallsUnderTheLimitAreCountedPerTable() {
        jobs.cancelOverdueInvoices();

        assertCancelledAndReminded(newest(MyBatisInvoiceApp.CANCEL));
    }

    @Test
    void theBatchExecutorsStatementsSentAtTheCommitAreCountedPerTable() {
        jobs.batchCancelOverdueInvoices();

        assertCancelledAndReminded(newest(MyBatisInvoiceApp.BATCH_CANCEL));
    }

    @Test
    void aJobWithoutATransactionTakingAConnectionPerStatementRunsAndDryRunsOnASmallPool() {
        jobs.cancelOverdueInvoicesOneByOne();
        assertCancelledAndReminded(newest(MyBatisInvoiceApp.ONE_BY_ONE));

        StackInvoices.reset(jdbc, PREFIX);
        guard.enable(MyBatisInvoiceApp.ONE_BY_ONE, "try again", "test", GuardMode.DRY_RUN);
        jobs.cancelOverdueInvoicesOneByOne();

        RunRecord run = newest(MyBatisInvoiceApp.ONE_BY_ONE);
        assertThat(run.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(run.outcome()).as(run.detail()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(run.rowsChanged()).isEqualTo(2 * StackInvoices.OVERDUE);
        assertUnchanged();
    }

    @Test
    void aBulkUpdateOverTheLimitIsRefusedAndChangesNothing() {
        jobs.cancelOverdueInvoicesBuggy();

        RunRecord run = newest(MyBatisInvoiceApp.CANCEL_BUGGY);
        assertThat(run.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(run.trip().figure()).isGreaterThan(MyBatisInvoiceApp.LIMIT);
        assertThat(run.trip().statement()).startsWith("UPDATE " + PREFIX + "invoices");
        assertUnchanged();
        assertThat(guard.state(MyBatisInvoiceApp.CANCEL_BUGGY).job().status()).isEqualTo(JobStatus.DISABLED);
    }

    @Test
    void theBatchExecutorOverTheLimitTripsAtTheCommitAndChangesNothing() {
        jobs.batchCancelOverdueInvoicesBuggy();

        RunRecord run = newest(MyBatisInvoiceApp.BATCH_CANCEL_BUGGY);
        assertThat(run.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(run.trip().figure()).isGreaterThan(MyBatisInvoiceApp.LIMIT);
        assertThat(run.rowsCommitted()).isZero();
        assertUnchanged();
        assertThat(guard.state(MyBatisInvoiceApp.BATCH_CANCEL_BUGGY).job().status())
                .isEqualTo(JobStatus.DISABLED);
    }

    @Test
    void aDryRunChangesNothingAndReportsWhatItWouldChange() {
        guard.enable(MyBatisInvoiceApp.CANCEL, "try the fix", "test", GuardMode.DRY_RUN);
        guard.enable(MyBatisInvoiceApp.BATCH_CANCEL, "try the fix", "test", GuardMode.DRY_RUN);

        jobs.cancelOverdueInvoices();
        jobs.batchCancelOverdueInvoices();

        for (String job : List.of(MyBatisInvoiceApp.CANCEL, MyBatisInvoiceApp.BATCH_CANCEL)) {
            RunRecord run = newest(job);
            assertThat(run.mode()).isEqualTo(GuardMode.DRY_RUN);
            assertThat(run.outcome()).as(job).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(run.rowsChanged(PREFIX + "invoices")).as(job).isEqualTo(StackInvoices.OVERDUE);
            assertThat(run.rowsChanged(PREFIX + "reminders")).as(job).isEqualTo(StackInvoices.OVERDUE);
            assertThat(run.rowsCommitted()).isZero();
        }
        assertUnchanged();
    }

    private void assertCancelledAndReminded(RunRecord run) {
        assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(run.rowsChanged()).isEqualTo(2 * StackInvoices.OVERDUE);
        assertThat(run.rowsByTable())
                .isEqualTo(Map.of(
                        PREFIX + "invoices", Map.of(Operation.UPDATE, (long) StackInvoices.OVERDUE),
                        PREFIX + "reminders", Map.of(Operation.INSERT, (long) StackInvoices.OVERDUE)));
        assertThat(run.rowCountIsLowerBound()).isFalse();
        assertThat(run.rowsCommitted()).isEqualTo(2L * StackInvoices.OVERDUE);
        assertThat(StackInvoices.invoices(jdbc, PREFIX, "CANCELLED")).isEqualTo(StackInvoices.OVERDUE);
        assertThat(StackInvoices.reminders(jdbc, PREFIX)).isEqualTo(StackInvoices.OVERDUE);
    }

    private void assertUnchanged() {
        assertThat(StackInvoices.invoices(jdbc, PREFIX, "OPEN")).isEqualTo(StackInvoices.INVOICES);
        assertThat(StackInvoices.reminders(jdbc, PREFIX)).isZero();
    }

    private RunRecord newest(String job) {
        return guard.runs(job, 1).get(0);
    }
}
