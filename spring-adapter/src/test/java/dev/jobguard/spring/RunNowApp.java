package dev.jobguard.spring;

import dev.jobguard.annotation.GuardedJob;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/** A Boot application whose guarded jobs are run now through the actuator: 10 open invoices, jobs that cancel them. */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({RunNowApp.Invoices.class, RunNowApp.Jobs.class, OpenSecurity.class})
public class RunNowApp {

    static final int INVOICES = 10;
    static final String CANCEL = "run-now-cancel";
    static final String SLOW = "run-now-slow";
    static final String WITH_ARGUMENT = "run-now-with-argument";

    /** The invoices table, created with the context, reset by {@link #reset()}. */
    @Component
    public static class Invoices {
        private final JdbcTemplate jdbc;

        public Invoices(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
            jdbc.execute("CREATE TABLE runnow_invoices (id INT PRIMARY KEY, status VARCHAR(20) NOT NULL)");
            for (int id = 1; id <= INVOICES; id++) {
                jdbc.update("INSERT INTO runnow_invoices (id, status) VALUES (?, 'OPEN')", id);
            }
        }

        public void reset() {
            jdbc.update("UPDATE runnow_invoices SET status = 'OPEN'");
        }

        /** Every row, in key order: equal snapshots mean the table is row for row as it was. */
        public java.util.List<String> snapshot() {
            return jdbc.query(
                    "SELECT id, status FROM runnow_invoices ORDER BY id",
                    (row, number) -> row.getInt(1) + "|" + row.getString(2));
        }
    }

    /** The guarded jobs; none is scheduled: they run when run now. */
    @Component
    public static class Jobs {
        private final JdbcTemplate jdbc;
        private final AtomicInteger executions = new AtomicInteger();
        private volatile CountDownLatch slowRelease = new CountDownLatch(0);

        public Jobs(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @GuardedJob(name = CANCEL, maxRowsChanged = 100)
        public void cancelAll() {
            executions.incrementAndGet();
            jdbc.update("UPDATE runnow_invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
        }

        @GuardedJob(name = SLOW, maxRowsChanged = 100)
        public void slowCancelOne() throws InterruptedException {
            executions.incrementAndGet();
            jdbc.update("UPDATE runnow_invoices SET status = 'CANCELLED' WHERE id = 1");
            slowRelease.await(20, TimeUnit.SECONDS);
        }

        /** Runs of the jobs since the last call (read through the proxy: not a field). */
        public int takeExecutions() {
            return executions.getAndSet(0);
        }

        /** The slow job waits, from its next run, until {@link #releaseSlowJob()}. */
        public void holdSlowJob() {
            slowRelease = new CountDownLatch(1);
        }

        public void releaseSlowJob() {
            slowRelease.countDown();
        }

        @GuardedJob(name = WITH_ARGUMENT)
        public void cancelOne(int id) {
            executions.incrementAndGet();
            jdbc.update("UPDATE runnow_invoices SET status = 'CANCELLED' WHERE id = ?", id);
        }
    }
}
