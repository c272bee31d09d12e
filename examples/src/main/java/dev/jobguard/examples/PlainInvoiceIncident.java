package dev.jobguard.examples;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunReport;
import dev.jobguard.jdbc.GuardedDataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * The invoice incident on an embedded H2 database, guarded with plain Java: a job meant to cancel invoices overdue by
 * more than 30 days ships with a bug (it passes {@code today + 30} instead of {@code today - 30}) and would cancel
 * every open invoice. The guard stops it; the fixed job is tried in dry-run, then enforced. The same story without
 * Spring; {@link InvoiceIncidentApplication} tells it as a Spring Boot application (the README's command).
 */
public final class PlainInvoiceIncident {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 25);
    static final int INVOICES = 10_000;
    static final int REALLY_OVERDUE = 200;
    static final String CANCEL_OVERDUE =
            "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND due_date < ?";

    private final DataSource raw;
    private final DataSource dataSource;
    private final JobGuard guard = JobGuard.builder().build();
    private final GuardPolicy policy =
            GuardPolicy.builder("cancel-overdue-invoices").maxRowsChanged(500).build();

    PlainInvoiceIncident(DataSource raw) {
        this.raw = raw;
        this.dataSource = GuardedDataSource.wrap(raw);
    }

    public static void main(String[] args) throws SQLException {
        // before the first logger: WARN and above, and the one ERROR line of a trip
        System.setProperty("logback.configurationFile", "logback-plain.xml");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:invoices;DB_CLOSE_DELAY=-1");
        new PlainInvoiceIncident(h2).tell();
    }

    void tell() throws SQLException {
        seed();
        say("Seeded %,d open invoices; %d are overdue by more than 30 days.", open(), REALLY_OVERDUE);
        say("Policy: %s", policy);

        say("%n1. The buggy release, tried in DRY_RUN first");
        RunReport dry = guard.run(withMode(GuardMode.DRY_RUN), () -> cancelOverdue(TODAY.plusDays(30)));
        say("   outcome %s", dry.outcome());
        dry.trip().ifPresent(trip -> say("   it would trip: %s", trip.describe()));
        say("   invoices still open: %,d (nothing ran for real)", open());

        say("%n2. The buggy release, ENFORCED");
        RunReport buggy = guard.run(policy, () -> cancelOverdue(TODAY.plusDays(30)));
        say("   outcome %s: %s", buggy.outcome(), buggy.trip().orElseThrow().describe());
        say("   invoices still open: %,d; cancelled: %,d (the statement never ran)", open(), cancelled());

        say("   the job is now %s", guard.state(policy.jobName()).job().status());

        say("%n3. The fixed release, in DRY_RUN");
        guard.enable(policy.jobName(), "trying the fixed release", "operator");
        RunReport fixedDry = guard.run(withMode(GuardMode.DRY_RUN), () -> cancelOverdue(TODAY.minusDays(30)));
        say(
                "   outcome %s: it would cancel %,d invoices; cancelled so far: %,d",
                fixedDry.outcome(), fixedDry.rowsChanged("invoices"), cancelled());

        say("%n4. The fixed release, ENFORCED");
        RunReport fixed = guard.run(policy, () -> cancelOverdue(TODAY.minusDays(30)));
        say("   outcome %s: cancelled %,d invoices; still open: %,d", fixed.outcome(), cancelled(), open());

        boolean told =
                buggy.trip().isPresent() && fixed.rowsChanged() == REALLY_OVERDUE && cancelled() == REALLY_OVERDUE;
        if (!told) {
            throw new IllegalStateException("the example did not go as told; see the lines above");
        }
    }

    private GuardPolicy withMode(GuardMode mode) {
        return policy.toBuilder().mode(mode).build();
    }

    /** The job: cancel open invoices due before the cutoff. */
    private void cancelOverdue(LocalDate cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement cancel = connection.prepareStatement(CANCEL_OVERDUE)) {
            cancel.setDate(1, Date.valueOf(cutoff));
            cancel.executeUpdate();
        }
    }

    /** 200 invoices due 31 to 60 days ago; the rest due within 29 days either side of today. */
    void seed() throws SQLException {
        try (Connection connection = raw.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY, customer_id BIGINT, amount DECIMAL(12,2),"
                    + " due_date DATE, status VARCHAR(20))");
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO invoices (id, customer_id, amount, due_date, status) VALUES (?, ?, ?, ?, 'OPEN')")) {
                for (int id = 1; id <= INVOICES; id++) {
                    LocalDate due = id <= REALLY_OVERDUE
                            ? TODAY.minusDays(31 + id % 30)
                            : TODAY.minusDays(29).plusDays(id % 58);
                    insert.setLong(1, id);
                    insert.setLong(2, id % 700);
                    insert.setBigDecimal(3, BigDecimal.valueOf(id % 1000 + 10, 0));
                    insert.setDate(4, Date.valueOf(due));
                    insert.addBatch();
                }
                insert.executeBatch();
            }
        }
    }

    long open() throws SQLException {
        return count("OPEN");
    }

    long cancelled() throws SQLException {
        return count("CANCELLED");
    }

    private long count(String status) throws SQLException {
        try (Connection connection = raw.getConnection();
                PreparedStatement query =
                        connection.prepareStatement("SELECT COUNT(*) FROM invoices WHERE status = ?")) {
            query.setString(1, status);
            try (ResultSet result = query.executeQuery()) {
                result.next();
                return result.getLong(1);
            }
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
