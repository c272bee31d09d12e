package dev.jobguard.stacks;

import java.sql.Date;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * The invoice incident of DESIGN.md at a test's size, one pair of tables per framework ({@code <prefix>invoices},
 * {@code <prefix>reminders}): 100 open invoices, the first 20 overdue by 45 days, the others due in the next month.
 * The correct job cancels the 20 overdue invoices and writes a reminder for each (40 rows); the buggy release
 * cancels every invoice due within a year (all 100, and 100 reminders).
 */
public final class StackInvoices {

    public static final int INVOICES = 100;
    public static final int OVERDUE = 20;

    private StackInvoices() {}

    /** The cut-off of the correct release: today - 30 days. */
    public static LocalDate overdueCutoff() {
        return LocalDate.now().minusDays(30);
    }

    /** The cut-off of the buggy release: every invoice due within a year. */
    public static LocalDate buggyCutoff() {
        return LocalDate.now().plusDays(365);
    }

    /** Creates the tables when missing and fills them afresh (outside any guarded run: not counted). */
    public static void reset(JdbcTemplate jdbc, String prefix) {
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + prefix + "invoices (id INT PRIMARY KEY, customer_id INT NOT NULL,"
                + " amount DECIMAL(12, 2) NOT NULL, due_date DATE NOT NULL, status VARCHAR(20) NOT NULL)");
        jdbc.execute("CREATE TABLE IF NOT EXISTS " + prefix + "reminders (id INT PRIMARY KEY, invoice_id INT NOT NULL,"
                + " message VARCHAR(200) NOT NULL)");
        jdbc.update("DELETE FROM " + prefix + "reminders");
        jdbc.update("DELETE FROM " + prefix + "invoices");
        List<Object[]> rows = new ArrayList<>();
        LocalDate today = LocalDate.now();
        for (int id = 1; id <= INVOICES; id++) {
            LocalDate due = id <= OVERDUE ? today.minusDays(45) : today.plusDays(1 + id % 30);
            rows.add(new Object[] {id, id % 7, new java.math.BigDecimal("100.00"), Date.valueOf(due)});
        }
        jdbc.batchUpdate(
                "INSERT INTO " + prefix
                        + "invoices (id, customer_id, amount, due_date, status) VALUES (?, ?, ?, ?, 'OPEN')",
                rows);
    }

    public static int invoices(JdbcTemplate jdbc, String prefix, String status) {
        Integer count = jdbc.queryForObject(
                "SELECT COUNT(*) FROM " + prefix + "invoices WHERE status = ?", Integer.class, status);
        return count == null ? 0 : count;
    }

    public static int reminders(JdbcTemplate jdbc, String prefix) {
        Integer count = jdbc.queryForObject("SELECT COUNT(*) FROM " + prefix + "reminders", Integer.class);
        return count == null ? 0 : count;
    }
}
