package dev.jobguard.examples;

import dev.jobguard.annotation.GuardedJob;
import java.sql.Date;
import java.time.LocalDate;
import java.util.concurrent.atomic.AtomicBoolean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * The scheduled job of the incident: cancel the open invoices overdue by more than 30 days. Release 1.4.0 has the bug
 * (it passes {@code today + 30 days} instead of {@code today - 30 days}, so every open invoice looks overdue);
 * {@link #shipFix()} stands for deploying the fixed release 1.4.1.
 */
@Component
public class InvoiceJobs {

    static final String JOB = "cancel-overdue-invoices";
    static final String CANCEL_OVERDUE =
            "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND due_date < ?";

    private final JdbcTemplate jdbc;
    private final AtomicBoolean fixed = new AtomicBoolean();

    public InvoiceJobs(JdbcTemplate jdbc, InvoiceTables tables) {
        this.jdbc = jdbc;
    }

    @Scheduled(fixedDelayString = "${invoices.tick}", initialDelayString = "${invoices.tick}")
    @GuardedJob(name = JOB, maxRowsChanged = 500)
    public void cancelOverdueInvoices() {
        LocalDate cutoff = fixed.get() ? InvoiceTables.TODAY.minusDays(30) : InvoiceTables.TODAY.plusDays(30);
        jdbc.update(CANCEL_OVERDUE, Date.valueOf(cutoff));
    }

    /** Deploys release 1.4.1: the cutoff is today - 30 days. */
    public void shipFix() {
        fixed.set(true);
    }

    public String release() {
        return fixed.get() ? "1.4.1 (fixed: today - 30 days)" : "1.4.0 (buggy: today + 30 days)";
    }
}
