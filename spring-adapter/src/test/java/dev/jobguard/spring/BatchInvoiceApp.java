package dev.jobguard.spring;

import dev.jobguard.GuardMode;
import dev.jobguard.annotation.GuardedJob;
import java.sql.Date;
import java.time.LocalDate;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * A Spring Boot application with a Spring Batch job (JDBC job repository on the application's one DataSource, a chunk
 * step of 100 reading overdue invoices with a cursor and cancelling them with a {@code JdbcBatchItemWriter}), launched
 * from {@code @GuardedJob(maxRowsChanged = 500)} methods. The Batch job itself is built per Spring Boot line
 * ({@code BatchInvoiceJob} in src/boot4/test-java and src/boot3/test-java: Spring Batch 6 and 5 moved its types).
 */
@SpringBootConfiguration
@EnableAutoConfiguration(
        excludeName = {
            // JDBC only: the DataSourceTransactionManager that a Batch application without JPA has (Boot 4, 3.5)
            "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration",
            "org.springframework.boot.autoconfigure.orm.jpa.HibernateJpaAutoConfiguration",
            "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration",
            "org.springframework.boot.autoconfigure.data.jpa.JpaRepositoriesAutoConfiguration"
        })
@Import({BatchInvoiceApp.InvoiceTable.class, BatchInvoiceJob.class, BatchInvoiceApp.GuardedBatchJobs.class})
public class BatchInvoiceApp {

    static final String ENFORCED_JOB = "batch-cancel-overdue-invoices";
    static final String DRY_RUN_JOB = "batch-cancel-overdue-invoices-dry-run";
    static final String ATOMIC_JOB = "batch-cancel-overdue-invoices-atomic";
    static final String BATCH_JOB = "cancelOverdueInvoices";
    static final int CHUNK = 100;
    static final int INVOICES = 1_000;
    /** Not named batch_*: that prefix is Spring Batch's, which the guard ignores. */
    static final String TABLE = "sb_invoices";

    static final String READ_SQL = "SELECT id FROM " + TABLE + " WHERE due_date < CURRENT_DATE ORDER BY id";
    static final String WRITE_SQL = "UPDATE " + TABLE + " SET status = 'CANCELLED' WHERE id = ?";

    /** Launches the Batch job with one identifying parameter {@code run}; answers the execution's BatchStatus. */
    public interface InvoiceBatch {
        String launch(String run) throws Exception;
    }

    @Component
    public static class InvoiceTable {
        private final JdbcTemplate jdbc;

        public InvoiceTable(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
            jdbc.execute("CREATE TABLE " + TABLE
                    + " (id INT PRIMARY KEY, due_date DATE NOT NULL, status VARCHAR(20) NOT NULL)");
        }

        /** {@link #INVOICES} open invoices, the first {@code overdue} of them overdue by 45 days. */
        public void seed(int overdue) {
            jdbc.update("DELETE FROM " + TABLE);
            Date past = Date.valueOf(LocalDate.now().minusDays(45));
            Date future = Date.valueOf(LocalDate.now().plusDays(10));
            jdbc.batchUpdate(
                    "INSERT INTO " + TABLE + " (id, due_date, status) VALUES (?, ?, 'OPEN')",
                    java.util.stream.IntStream.rangeClosed(1, INVOICES)
                            .mapToObj(id -> new Object[] {id, id <= overdue ? past : future})
                            .toList());
        }

        public int count(String status) {
            Integer count =
                    jdbc.queryForObject("SELECT COUNT(*) FROM " + TABLE + " WHERE status = ?", Integer.class, status);
            return count == null ? 0 : count;
        }
    }

    /** The guarded jobs: each launches the Batch job on the calling thread, as a scheduled method would. */
    @Component
    public static class GuardedBatchJobs {
        private final InvoiceBatch batch;

        public GuardedBatchJobs(InvoiceBatch batch) {
            this.batch = batch;
        }

        @GuardedJob(name = ENFORCED_JOB, maxRowsChanged = 500)
        public String cancelOverdueInvoices(String run) throws Exception {
            return batch.launch(run);
        }

        @GuardedJob(name = ATOMIC_JOB, maxRowsChanged = 500, atomic = true)
        public String cancelOverdueInvoicesAtomically(String run) throws Exception {
            return batch.launch(run);
        }

        @GuardedJob(name = DRY_RUN_JOB, maxRowsChanged = 500, mode = GuardMode.DRY_RUN)
        public String cancelOverdueInvoicesInDryRun(String run) throws Exception {
            return batch.launch(run);
        }
    }
}
