package it.app;

import dev.jobguard.annotation.GuardedJob;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/** The buggy job: it cancels every open invoice, 100 of them, where at most 10 may change. */
@Component
public class CancelInvoicesJob {

    public static final String JOB = "cancel-invoices";

    private final JdbcTemplate jdbc;

    public CancelInvoicesJob(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        jdbc.execute("CREATE TABLE invoices (id INT PRIMARY KEY, status VARCHAR(20) NOT NULL)");
        jdbc.update("INSERT INTO invoices SELECT x, 'OPEN' FROM SYSTEM_RANGE(1, 100)");
    }

    @Scheduled(fixedDelay = 500, initialDelay = 200)
    @GuardedJob(name = JOB, maxRowsChanged = 10)
    public void cancelOverdueInvoices() {
        jdbc.update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
    }
}
