package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobguard.GuardMode;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.state.JobStatus;
import dev.jobguard.state.RunRecord;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Spring Batch under the guard (issue #15), per database: a chunk step (chunk 100, {@code JdbcBatchItemWriter}) whose
 * JDBC job repository lives on the job's own DataSource, launched from a {@code @GuardedJob(maxRowsChanged = 500)}
 * method. Batch's writes to its {@code BATCH_*} tables are not counted; a run over the limit trips, Batch records the
 * execution FAILED and a relaunch restarts it; a dry run leaves the invoices and {@code BATCH_*} as they were.
 */
@SpringBootTest(
        classes = BatchInvoiceApp.class,
        properties = {
            "spring.batch.job.enabled=false",
            "spring.batch.jdbc.initialize-schema=always",
            "jobguard.state-store.table-prefix=jgbatch_",
            "jobguard.node-name=spring-batch-it"
        })
abstract class AbstractSpringBatchIntegrationTest {

    /** Spring Batch's tables (schema-*.sql of Batch 5 and 6), as it names them. */
    static final List<String> BATCH_TABLES = List.of(
            "BATCH_JOB_INSTANCE",
            "BATCH_JOB_EXECUTION",
            "BATCH_JOB_EXECUTION_PARAMS",
            "BATCH_JOB_EXECUTION_CONTEXT",
            "BATCH_STEP_EXECUTION",
            "BATCH_STEP_EXECUTION_CONTEXT");

    /** The prefixes of the tables (and sequences) a server database drops before the context starts. */
    static final String[] TABLE_PREFIXES = {"jgbatch_", BatchInvoiceApp.TABLE, "batch_"};

    @Autowired
    JobGuard guard;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    BatchInvoiceApp.InvoiceTable invoices;

    @Autowired
    BatchInvoiceApp.GuardedBatchJobs jobs;

    @BeforeEach
    void enableTheJobs() {
        for (String job :
                List.of(BatchInvoiceApp.ENFORCED_JOB, BatchInvoiceApp.DRY_RUN_JOB, BatchInvoiceApp.ATOMIC_JOB)) {
            if (guard.state(job).job().status() == JobStatus.DISABLED) {
                guard.enable(job, "next test", "test");
            }
        }
    }

    @Test
    void aBatchJobUnderTheLimitCountsTheInvoicesOnlyNotBatchsOwnTables() throws Exception {
        invoices.seed(200);
        assertThat(jobs.cancelOverdueInvoices("count-200")).isEqualTo("COMPLETED");

        RunRecord run = newest(BatchInvoiceApp.ENFORCED_JOB);
        assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(run.rowsChanged()).as("BATCH_* writes are not counted").isEqualTo(200);
        assertThat(run.rowsByTable().keySet()).containsExactly(BatchInvoiceApp.TABLE);
        assertThat(run.rowsCommitted()).isEqualTo(200);
        assertThat(invoices.count("CANCELLED")).isEqualTo(200);
        assertThat(batchStatuses("count-200")).containsExactly("COMPLETED");

        // 450 fit under 500 too: Batch's bookkeeping takes nothing from the job's limit
        invoices.seed(450);
        assertThat(jobs.cancelOverdueInvoices("count-450")).isEqualTo("COMPLETED");
        run = newest(BatchInvoiceApp.ENFORCED_JOB);
        assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(run.rowsChanged()).isEqualTo(450);
        assertThat(invoices.count("CANCELLED")).isEqualTo(450);
        assertThat(batchStatuses("count-450")).containsExactly("COMPLETED");
    }

    @Test
    void aBatchJobOverTheLimitTripsBatchRecordsItFailedAndARelaunchRestartsIt() throws Exception {
        invoices.seed(700);
        jobs.cancelOverdueInvoices("trip-700");

        RunRecord tripped = newest(BatchInvoiceApp.ENFORCED_JOB);
        assertThat(tripped.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(tripped.trip().limit()).isEqualTo(500);
        // each chunk commits in its own transaction: five chunks (500) committed, the sixth tripped and rolled back
        assertThat(invoices.count("CANCELLED")).isEqualTo(500);
        assertThat(tripped.rowsCommitted()).isEqualTo(500);
        assertThat(tripped.rowsChanged()).isEqualTo(600);
        assertThat(tripped.rowsRolledBack()).isEqualTo(100);
        assertThat(batchStatuses("trip-700")).as("Batch recorded the execution").containsExactly("FAILED");
        assertThat(stepStatuses("trip-700")).containsExactly("FAILED");
        assertThat(guard.state(BatchInvoiceApp.ENFORCED_JOB).job().status()).isEqualTo(JobStatus.DISABLED);

        // disabled: the next launch is skipped and Batch sees nothing of it
        assertThat(jobs.cancelOverdueInvoices("trip-700")).isNull();
        assertThat(newest(BatchInvoiceApp.ENFORCED_JOB).outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(batchStatuses("trip-700")).containsExactly("FAILED");

        // the operator enables it; the relaunch with the same parameters restarts the failed execution where its
        // last committed chunk left it: the 200 invoices left fit under the limit
        guard.enable(BatchInvoiceApp.ENFORCED_JOB, "restart the failed Batch execution", "test");
        assertThat(jobs.cancelOverdueInvoices("trip-700")).isEqualTo("COMPLETED");
        RunRecord restarted = newest(BatchInvoiceApp.ENFORCED_JOB);
        assertThat(restarted.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(restarted.rowsChanged()).isEqualTo(200);
        assertThat(invoices.count("CANCELLED")).isEqualTo(700);
        assertThat(batchStatuses("trip-700")).containsExactly("FAILED", "COMPLETED");
    }

    @Test
    void aDryRunCompletesLeavesTheInvoicesAndBatchTablesAsTheyWereAndReportsTheRows() throws Exception {
        invoices.seed(200);
        Map<String, List<String>> before = batchTables();

        assertThat(jobs.cancelOverdueInvoicesInDryRun("dry-200")).isEqualTo("COMPLETED");

        RunRecord dry = newest(BatchInvoiceApp.DRY_RUN_JOB);
        assertThat(dry.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(dry.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(dry.rowsChanged()).as("the rows it would change").isEqualTo(200);
        assertThat(dry.rowsChanged(BatchInvoiceApp.TABLE)).isEqualTo(200);
        assertThat(dry.rowsCommitted()).isZero();
        assertThat(invoices.count("CANCELLED")).isZero();
        assertThat(batchTables()).as("BATCH_* as they were").isEqualTo(before);

        // nothing of the dry run is left for Batch: the same parameters then run for real
        assertThat(jobs.cancelOverdueInvoices("dry-200")).isEqualTo("COMPLETED");
        assertThat(newest(BatchInvoiceApp.ENFORCED_JOB).rowsChanged()).isEqualTo(200);
        assertThat(invoices.count("CANCELLED")).isEqualTo(200);
        assertThat(batchStatuses("dry-200")).containsExactly("COMPLETED");
    }

    @Test
    void aDryRunOverTheLimitTripsAndLeavesEverythingAsItWas() throws Exception {
        invoices.seed(700);
        Map<String, List<String>> before = batchTables();

        jobs.cancelOverdueInvoicesInDryRun("dry-700");

        RunRecord dry = newest(BatchInvoiceApp.DRY_RUN_JOB);
        assertThat(dry.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(dry.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(dry.rowsCommitted()).isZero();
        assertThat(invoices.count("CANCELLED")).isZero();
        assertThat(batchTables()).isEqualTo(before);
        assertThat(guard.state(BatchInvoiceApp.DRY_RUN_JOB).job().status())
                .as("a dry run never disables")
                .isEqualTo(JobStatus.ENABLED);
    }

    /**
     * The limit the README states: an atomic run keeps every chunk until the run ends, but Batch records the execution
     * STARTED in a transaction of its own before the first chunk, so a trip leaves it STARTED and a relaunch with the
     * same parameters is refused. A run that ends cleanly commits the invoices and Batch's record together.
     */
    @Test
    void anAtomicRunCommitsAtItsEndButATripLeavesBatchsExecutionStarted() throws Exception {
        invoices.seed(200);
        assertThat(jobs.cancelOverdueInvoicesAtomically("atomic-200")).isEqualTo("COMPLETED");
        assertThat(newest(BatchInvoiceApp.ATOMIC_JOB).rowsCommitted()).isEqualTo(200);
        assertThat(invoices.count("CANCELLED")).isEqualTo(200);
        assertThat(batchStatuses("atomic-200")).containsExactly("COMPLETED");

        invoices.seed(700);
        jobs.cancelOverdueInvoicesAtomically("atomic-700");
        assertThat(newest(BatchInvoiceApp.ATOMIC_JOB).outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.count("CANCELLED")).as("all or nothing").isZero();
        assertThat(batchStatuses("atomic-700")).containsExactly("STARTED");

        guard.enable(BatchInvoiceApp.ATOMIC_JOB, "relaunch", "test");
        assertThatThrownBy(() -> jobs.cancelOverdueInvoicesAtomically("atomic-700"))
                .hasMessageContaining("already running");
    }

    /** The statuses of the Batch executions launched with parameter {@code run}, oldest first. */
    List<String> batchStatuses(String run) {
        return jdbc.queryForList(
                "SELECT e.STATUS FROM BATCH_JOB_EXECUTION e JOIN BATCH_JOB_EXECUTION_PARAMS p"
                        + " ON p.JOB_EXECUTION_ID = e.JOB_EXECUTION_ID"
                        + " WHERE p.PARAMETER_NAME = 'run' AND p.PARAMETER_VALUE = ? ORDER BY e.JOB_EXECUTION_ID",
                String.class,
                run);
    }

    List<String> stepStatuses(String run) {
        return jdbc.queryForList(
                "SELECT s.STATUS FROM BATCH_STEP_EXECUTION s JOIN BATCH_JOB_EXECUTION_PARAMS p"
                        + " ON p.JOB_EXECUTION_ID = s.JOB_EXECUTION_ID"
                        + " WHERE p.PARAMETER_NAME = 'run' AND p.PARAMETER_VALUE = ? ORDER BY s.STEP_EXECUTION_ID",
                String.class,
                run);
    }

    /** Every row of every BATCH_* table, as text, sorted per table. */
    Map<String, List<String>> batchTables() {
        Map<String, List<String>> tables = new LinkedHashMap<>();
        for (String table : BATCH_TABLES) {
            List<String> rows = new ArrayList<>();
            for (Map<String, Object> row : jdbc.queryForList("SELECT * FROM " + table)) {
                rows.add(row.toString());
            }
            rows.sort(null);
            tables.put(table, rows);
        }
        return tables;
    }

    RunRecord newest(String job) {
        return guard.runs(job, 1).get(0);
    }
}
