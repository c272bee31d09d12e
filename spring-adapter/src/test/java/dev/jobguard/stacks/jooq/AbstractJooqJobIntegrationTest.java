package dev.jobguard.stacks.jooq;

import static dev.jobguard.stacks.jooq.JooqInvoiceApp.PREFIX;
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
 * jobguard under jOOQ in a Spring Boot application configured as Boot configures it ({@code
 * spring-boot-starter-jooq}): bulk statements and both batch forms, with bind values (PreparedStatement) and with
 * inlined values (plain Statement), are counted per table; a run over its limit trips and changes nothing; a dry run
 * reports what it would change. One subclass per database.
 */
@SpringBootTest(
        classes = JooqInvoiceApp.class,
        properties = {
            "jobguard.state-store.table-prefix=jgjooq_",
            // a small pool: a dry run of a job that takes a connection per statement must not exhaust it
            "spring.datasource.hikari.maximum-pool-size=3",
            "spring.datasource.hikari.connection-timeout=5000"
        })
abstract class AbstractJooqJobIntegrationTest {

    static final String[] TABLES = {"jgjooq_", PREFIX};

    @Autowired
    JobGuard guard;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JooqInvoiceApp.InvoiceJobs jobs;

    @BeforeEach
    void freshInvoicesAndEnabledJobs() {
        StackInvoices.reset(jdbc, PREFIX);
        for (String job : List.of(
                JooqInvoiceApp.CANCEL,
                JooqInvoiceApp.CANCEL_BUGGY,
                JooqInvoiceApp.CANCEL_STATIC,
                JooqInvoiceApp.RECORDS_CANCEL,
                JooqInvoiceApp.ONE_BY_ONE,
                JooqInvoiceApp.BATCH_BUGGY,
                JooqInvoiceApp.STATIC_BATCH_BUGGY)) {
            guard.enable(job, "test starts afresh", "test");
        }
    }

    @Test
    void aBulkUpdateAndABatchWithBindsUnderTheLimitAreCountedPerTable() {
        jobs.cancelOverdueInvoices();

        assertCancelledAndReminded(newest(JooqInvoiceApp.CANCEL));
    }

    @Test
    void withInlinedValuesThePlainStatementAndTheBatchOfQueriesAreCountedToo() {
        jobs.cancelOverdueInvoicesStatic();

        assertCancelledAndReminded(newest(JooqInvoiceApp.CANCEL_STATIC));
    }

    @Test
    void recordsStoredWithBatchUpdateAndBatchInsertAreCountedToo() {
        jobs.cancelOverdueInvoicesAsRecords();

        assertCancelledAndReminded(newest(JooqInvoiceApp.RECORDS_CANCEL));
    }

    @Test
    void aJobWithoutATransactionTakingAConnectionPerStatementRunsAndDryRunsOnASmallPool() {
        jobs.cancelOverdueInvoicesOneByOne();
        assertCancelledAndReminded(newest(JooqInvoiceApp.ONE_BY_ONE));

        StackInvoices.reset(jdbc, PREFIX);
        guard.enable(JooqInvoiceApp.ONE_BY_ONE, "try again", "test", GuardMode.DRY_RUN);
        jobs.cancelOverdueInvoicesOneByOne();

        RunRecord run = newest(JooqInvoiceApp.ONE_BY_ONE);
        assertThat(run.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(run.outcome()).as(run.detail()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(run.rowsChanged()).isEqualTo(2 * StackInvoices.OVERDUE);
        assertUnchanged();
    }

    @Test
    void aBulkUpdateOverTheLimitIsRefusedAndChangesNothing() {
        jobs.cancelOverdueInvoicesBuggy();

        RunRecord run = newest(JooqInvoiceApp.CANCEL_BUGGY);
        assertThat(run.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(run.trip().figure()).isGreaterThan(JooqInvoiceApp.LIMIT);
        assertThat(run.trip().statement()).startsWithIgnoringCase("update " + PREFIX + "invoices");
        assertUnchanged();
        assertThat(guard.state(JooqInvoiceApp.CANCEL_BUGGY).job().status()).isEqualTo(JobStatus.DISABLED);
    }

    @Test
    void aBatchWithBindsOverTheLimitOnAnAutoCommitConnectionTripsAndIsRolledBackWhole() {
        jobs.batchCancelBuggy();

        RunRecord run = newest(JooqInvoiceApp.BATCH_BUGGY);
        assertThat(run.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(run.trip().figure()).isGreaterThan(JooqInvoiceApp.LIMIT);
        assertThat(run.rowsCommitted()).isZero();
        assertUnchanged();
        assertThat(guard.state(JooqInvoiceApp.BATCH_BUGGY).job().status()).isEqualTo(JobStatus.DISABLED);
    }

    @Test
    void aBatchOfManyQueriesOverTheLimitTripsAndChangesNothing() {
        jobs.staticBatchCancelBuggy();

        RunRecord run = newest(JooqInvoiceApp.STATIC_BATCH_BUGGY);
        assertThat(run.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(run.trip().figure()).isGreaterThan(JooqInvoiceApp.LIMIT);
        assertThat(run.rowsCommitted()).isZero();
        assertUnchanged();
    }

    @Test
    void aDryRunChangesNothingAndReportsWhatItWouldChange() {
        guard.enable(JooqInvoiceApp.CANCEL, "try the fix", "test", GuardMode.DRY_RUN);
        guard.enable(JooqInvoiceApp.CANCEL_STATIC, "try the fix", "test", GuardMode.DRY_RUN);

        jobs.cancelOverdueInvoices();
        jobs.cancelOverdueInvoicesStatic();

        for (String job : List.of(JooqInvoiceApp.CANCEL, JooqInvoiceApp.CANCEL_STATIC)) {
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
