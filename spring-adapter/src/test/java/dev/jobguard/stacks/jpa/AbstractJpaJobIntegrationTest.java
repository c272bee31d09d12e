package dev.jobguard.stacks.jpa;

import static dev.jobguard.stacks.jpa.JpaInvoiceApp.PREFIX;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardMode;
import dev.jobguard.JobGuard;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.stacks.StackInvoices;
import dev.jobguard.state.JobStatus;
import dev.jobguard.state.RunRecord;
import jakarta.persistence.EntityManagerFactory;
import java.util.List;
import java.util.Map;
import org.hibernate.SessionFactory;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * jobguard under JPA/Hibernate in a Spring Boot application configured as teams configure it: Spring Data JPA,
 * {@code @Transactional} jobs, {@code hibernate.jdbc.batch_size} on (with ordered inserts and updates). Hibernate
 * writes the changed entities when the transaction flushes at its commit, through {@code executeBatch}: the guard
 * counts each batch entry, a trip at that flush rolls the whole transaction back, and a dry run reports what the
 * commit would have written. One subclass per database and driver setting.
 */
@SpringBootTest(
        classes = JpaInvoiceApp.class,
        properties = {
            "jobguard.state-store.table-prefix=jgjpa_",
            "spring.jpa.hibernate.ddl-auto=none",
            "spring.jpa.open-in-view=false",
            "spring.jpa.properties.hibernate.jdbc.batch_size=" + AbstractJpaJobIntegrationTest.BATCH_SIZE,
            "spring.jpa.properties.hibernate.order_inserts=true",
            "spring.jpa.properties.hibernate.order_updates=true",
            "spring.jpa.properties.hibernate.generate_statistics=true"
        })
abstract class AbstractJpaJobIntegrationTest {

    static final int BATCH_SIZE = 30;
    static final String[] TABLES = {"jgjpa_", PREFIX};

    @Autowired
    JobGuard guard;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    JpaInvoiceApp.InvoiceJobs jobs;

    @Autowired
    EntityManagerFactory entityManagerFactory;

    /** Whether the driver answers SUCCESS_NO_INFO (-2) for Hibernate's UPDATE batches, so the total is a lower bound. */
    protected boolean updateBatchCountsUnknown() {
        return false;
    }

    @BeforeEach
    void freshInvoicesAndEnabledJobs() {
        StackInvoices.reset(jdbc, PREFIX);
        for (String job : List.of(JpaInvoiceApp.CANCEL, JpaInvoiceApp.CANCEL_BUGGY, JpaInvoiceApp.BULK_BUGGY)) {
            guard.enable(job, "test starts afresh", "test");
        }
        statistics().clear();
    }

    @Test
    void aRunUnderItsLimitCommitsHibernatesBatchedWritesAndReportsEachTable() {
        jobs.cancelOverdueInvoices();

        RunRecord run = newest(JpaInvoiceApp.CANCEL);
        assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(run.rowsChanged()).isEqualTo(2 * StackInvoices.OVERDUE);
        assertThat(run.rowsByTable())
                .isEqualTo(Map.of(
                        PREFIX + "invoices", Map.of(Operation.UPDATE, (long) StackInvoices.OVERDUE),
                        PREFIX + "reminders", Map.of(Operation.INSERT, (long) StackInvoices.OVERDUE)));
        assertThat(run.rowCountIsLowerBound()).isEqualTo(updateBatchCountsUnknown());
        assertThat(run.rowsCommitted()).isEqualTo(2L * StackInvoices.OVERDUE);
        assertThat(StackInvoices.invoices(jdbc, PREFIX, "CANCELLED")).isEqualTo(StackInvoices.OVERDUE);
        assertThat(StackInvoices.invoices(jdbc, PREFIX, "OPEN"))
                .isEqualTo(StackInvoices.INVOICES - StackInvoices.OVERDUE);
        assertThat(StackInvoices.reminders(jdbc, PREFIX)).isEqualTo(StackInvoices.OVERDUE);
        // batched: a handful of JDBC statements (the query, one INSERT batch, one UPDATE batch), not one per entity
        assertThat(statistics().getPrepareStatementCount()).isLessThanOrEqualTo(3);
    }

    @Test
    void aRunOverItsLimitTripsAtTheFlushOfTheCommitAndLeavesTheTablesUnchanged() {
        jobs.cancelOverdueInvoicesBuggy(); // returns normally: the trip is recorded, logged, and rolled back

        RunRecord run = newest(JpaInvoiceApp.CANCEL_BUGGY);
        assertThat(run.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(run.trip().limit()).isEqualTo(JpaInvoiceApp.LIMIT);
        assertThat(run.trip().figure()).isGreaterThan(JpaInvoiceApp.LIMIT);
        // the job's method wrote nothing itself: the statement that crossed the limit is a batch of the flush
        assertThat(run.trip().statement()).containsIgnoringCase(PREFIX);
        assertThat(run.rowsCommitted()).isZero();
        assertThat(StackInvoices.invoices(jdbc, PREFIX, "OPEN")).isEqualTo(StackInvoices.INVOICES);
        assertThat(StackInvoices.reminders(jdbc, PREFIX)).isZero();
        assertThat(guard.state(JpaInvoiceApp.CANCEL_BUGGY).job().status()).isEqualTo(JobStatus.DISABLED);

        jobs.cancelOverdueInvoicesBuggy();
        assertThat(newest(JpaInvoiceApp.CANCEL_BUGGY).outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(StackInvoices.invoices(jdbc, PREFIX, "OPEN")).isEqualTo(StackInvoices.INVOICES);
    }

    @Test
    void aDryRunChangesNothingAndReportsWhatTheCommitWouldHaveWritten() {
        guard.enable(JpaInvoiceApp.CANCEL, "try the fix", "test", GuardMode.DRY_RUN);

        jobs.cancelOverdueInvoices();

        RunRecord run = newest(JpaInvoiceApp.CANCEL);
        assertThat(run.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(run.rowsChanged(PREFIX + "invoices")).isEqualTo(StackInvoices.OVERDUE);
        assertThat(run.rowsChanged(PREFIX + "reminders")).isEqualTo(StackInvoices.OVERDUE);
        assertThat(run.rowsCommitted()).isZero();
        assertThat(run.rowsRolledBack()).isEqualTo(2L * StackInvoices.OVERDUE);
        assertThat(StackInvoices.invoices(jdbc, PREFIX, "OPEN")).isEqualTo(StackInvoices.INVOICES);
        assertThat(StackInvoices.reminders(jdbc, PREFIX)).isZero();

        // the buggy release in dry run: its limit still trips, nothing changes, and a dry run disables nothing
        guard.enable(JpaInvoiceApp.CANCEL_BUGGY, "try it", "test", GuardMode.DRY_RUN);
        jobs.cancelOverdueInvoicesBuggy();
        RunRecord buggy = newest(JpaInvoiceApp.CANCEL_BUGGY);
        assertThat(buggy.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(buggy.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(StackInvoices.invoices(jdbc, PREFIX, "OPEN")).isEqualTo(StackInvoices.INVOICES);
        assertThat(StackInvoices.reminders(jdbc, PREFIX)).isZero();
        assertThat(guard.state(JpaInvoiceApp.CANCEL_BUGGY).job().status()).isEqualTo(JobStatus.ENABLED);
    }

    @Test
    void aBulkJpqlUpdateOverTheLimitIsRefusedBeforeItRuns() {
        jobs.bulkCancelBuggy();

        RunRecord run = newest(JpaInvoiceApp.BULK_BUGGY);
        assertThat(run.outcome()).isEqualTo(RunOutcome.TRIPPED);
        // the preflight read its WHERE first and refused it: the UPDATE never ran
        assertThat(run.trip().figure()).isGreaterThan(JpaInvoiceApp.LIMIT);
        assertThat(run.trip().statement()).startsWith("update " + PREFIX + "invoices");
        assertThat(run.rowsChanged()).isZero();
        assertThat(StackInvoices.invoices(jdbc, PREFIX, "OPEN")).isEqualTo(StackInvoices.INVOICES);
    }

    private Statistics statistics() {
        return entityManagerFactory.unwrap(SessionFactory.class).getStatistics();
    }

    private RunRecord newest(String job) {
        return guard.runs(job, 1).get(0);
    }
}
