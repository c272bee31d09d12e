package dev.jobguard.console;

import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import javax.sql.DataSource;

/**
 * The invoice incident of DESIGN.md, staged for the console: a journaled run of {@value #JOB} that cancelled the 200
 * overdue invoices, then the buggy release that tried to cancel every open one, tripped and disabled the job; since
 * then a clerk marked one of the cancelled invoices PAID (a revert must not overwrite it). Also a job whose name is HTML.
 */
public final class InvoiceIncident {

    public static final String JOB = "cancel-overdue-invoices";
    public static final String HOSTILE_JOB = "<script>alert('pwned')</script>";
    public static final int INVOICES = 1000;
    public static final int OVERDUE = 200;

    public final DataSource dataSource;
    public final JobGuard guard;
    public final String cancelRunId;
    public final String trippedRunId;
    /** The invoice the clerk changed after the cancelling run. */
    public final long changedSince;

    private InvoiceIncident(DataSource dataSource, JobGuard guard, String cancelRunId, String trippedRunId) {
        this.dataSource = dataSource;
        this.guard = guard;
        this.cancelRunId = cancelRunId;
        this.trippedRunId = trippedRunId;
        this.changedSince = 1;
    }

    /** Stages the incident in the (empty) database. */
    public static InvoiceIncident stage(DataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL,"
                    + " amount DECIMAL(12,2) NOT NULL, due_date DATE NOT NULL, status VARCHAR(20) NOT NULL)");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO invoices (id, customer_id, amount, due_date, status) VALUES (?, ?, ?, ?, 'OPEN')")) {
                LocalDate today = LocalDate.now();
                for (int id = 1; id <= INVOICES; id++) {
                    insert.setLong(1, id);
                    insert.setLong(2, 100 + id % 37);
                    insert.setBigDecimal(3, java.math.BigDecimal.valueOf(1000 + id, 2));
                    // the first 200 are overdue by more than 30 days, the others due later
                    insert.setObject(4, id <= OVERDUE ? today.minusDays(40 + id % 20) : today.plusDays(1 + id % 29));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
        DataSource guarded = GuardedDataSource.wrap(pool);
        JobGuard guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(pool))
                .nodeName("node-a")
                .build();
        GuardPolicy policy =
                GuardPolicy.builder(JOB).maxRowsChanged(500).journal(true).build();
        RunReport cancelled =
                guard.run(policy, () -> cancelDueBefore(guarded, LocalDate.now().minusDays(30)));
        require(cancelled, RunOutcome.SUCCEEDED);
        RunReport tripped =
                guard.run(policy, () -> cancelDueBefore(guarded, LocalDate.now().plusDays(30)));
        require(tripped, RunOutcome.TRIPPED);
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE invoices SET status = 'PAID' WHERE id = 1");
        }
        guard.disable(HOSTILE_JOB, "a name that is HTML <b>bold</b>", "mallory");
        return new InvoiceIncident(pool, guard, cancelled.runId(), tripped.runId());
    }

    private static void cancelDueBefore(DataSource guarded, LocalDate cutoff) throws SQLException {
        try (Connection connection = guarded.getConnection();
                PreparedStatement update = connection.prepareStatement(
                        "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND due_date < ?")) {
            update.setObject(1, cutoff);
            update.executeUpdate();
        }
    }

    private static void require(RunReport report, RunOutcome outcome) {
        if (report.outcome() != outcome) {
            throw new IllegalStateException("the staged incident went wrong: " + report.summary());
        }
    }

    /** How many invoices have this status, as the database holds them. */
    public int count(String status) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT COUNT(*) FROM invoices WHERE status = ?")) {
            select.setString(1, status);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getInt(1);
            }
        }
    }

    /** The status of one invoice. */
    public String status(long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement("SELECT status FROM invoices WHERE id = ?")) {
            select.setLong(1, id);
            try (ResultSet row = select.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }

    /** status, reason, actor, mode_override of the job's row in jobguard_job. */
    public String[] jobRow(String job) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT status, reason, actor, mode_override FROM jobguard_job WHERE name = ?")) {
            select.setString(1, job);
            try (ResultSet row = select.executeQuery()) {
                return row.next()
                        ? new String[] {row.getString(1), row.getString(2), row.getString(3), row.getString(4)}
                        : new String[0];
            }
        }
    }
}
