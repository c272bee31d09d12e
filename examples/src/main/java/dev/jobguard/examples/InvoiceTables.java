package dev.jobguard.examples;

import java.time.LocalDate;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Starts the example database afresh before anything runs: every table dropped (the guard's state too), then 10,000
 * open invoices, 200 of them overdue by more than 30 days.
 */
@Component
public class InvoiceTables {

    static final LocalDate TODAY = LocalDate.now();
    static final int INVOICES = 10_000;
    static final int REALLY_OVERDUE = 200;

    private final JdbcTemplate jdbc;

    public InvoiceTables(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
        jdbc.execute("DROP ALL OBJECTS");
        jdbc.execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL,"
                + " amount DECIMAL(12, 2) NOT NULL, due_date DATE NOT NULL, status VARCHAR(20) NOT NULL)");
        // the first 200 due 31 to 60 days ago; the rest due within 29 days either side of today
        jdbc.update(
                "INSERT INTO invoices SELECT x, MOD(x, 700), MOD(x, 1000) + 10, CASE WHEN x <= CAST(? AS INT)"
                        + " THEN DATEADD(DAY, -(31 + MOD(x, 30)), CAST(? AS DATE)) ELSE DATEADD(DAY, MOD(x, 58) - 29, CAST(? AS DATE)) END,"
                        + " 'OPEN' FROM SYSTEM_RANGE(1, CAST(? AS INT))",
                REALLY_OVERDUE,
                java.sql.Date.valueOf(TODAY),
                java.sql.Date.valueOf(TODAY),
                INVOICES);
    }

    long open() {
        return count("OPEN");
    }

    long cancelled() {
        return count("CANCELLED");
    }

    /** Invoices overdue by more than 30 days and still open: what the job should cancel. */
    long reallyOverdue() {
        Long count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM invoices WHERE status = 'OPEN' AND due_date < ?",
                Long.class,
                java.sql.Date.valueOf(TODAY.minusDays(30)));
        return count == null ? 0 : count;
    }

    private long count(String status) {
        Long count = jdbc.queryForObject("SELECT COUNT(*) FROM invoices WHERE status = ?", Long.class, status);
        return count == null ? 0 : count;
    }
}
