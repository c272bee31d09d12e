package dev.jobguard.examples;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunReport;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.journal.RevertReport;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;

/**
 * One feature: the change journal. The buggy invoice job runs in OBSERVE mode (a new job whose limits are only
 * watched), cancels every open invoice row by row, and commits. No backup is needed: the run's journal puts the
 * invoices back, except one a customer paid after the run, which the revert leaves alone.
 *
 * <pre>
 * mvn -B -q -pl examples -am -DskipTests package exec:java -Dexec.mainClass=dev.jobguard.examples.RevertInvoiceIncident
 * </pre>
 */
public final class RevertInvoiceIncident {

    private final PlainInvoiceIncident invoices;
    private final DataSource dataSource;
    private final JobGuard guard;
    private final GuardPolicy policy = GuardPolicy.builder("cancel-overdue-invoices")
            .mode(GuardMode.OBSERVE)
            .maxRowsChanged(500)
            .journal(true)
            .build();

    RevertInvoiceIncident(DataSource raw) {
        this.invoices = new PlainInvoiceIncident(raw);
        this.dataSource = GuardedDataSource.wrap(raw);
        this.guard = JobGuard.builder().changeJournal(ChangeJournal.create(raw)).build();
    }

    public static void main(String[] args) throws SQLException {
        System.setProperty("logback.configurationFile", "logback-plain.xml");
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:revert;DB_CLOSE_DELAY=-1");
        new RevertInvoiceIncident(h2).tell();
    }

    void tell() throws SQLException {
        invoices.seed();
        long open = invoices.open();
        say("Seeded %,d open invoices. Policy: %s", open, policy);

        say("%n1. The buggy release runs in OBSERVE mode, row by row, auto-commit");
        RunReport run = guard.run(
                policy, () -> cancelRowByRow(LocalDate.of(2026, 11, 25).plusDays(30)));
        say(
                "   outcome %s, %,d rows changed; would have tripped: %s",
                run.outcome(),
                run.rowsChanged(),
                run.wouldTrips().isEmpty() ? "no" : run.wouldTrips().get(0).describe());
        say("   invoices open: %,d, cancelled: %,d (committed)", invoices.open(), invoices.cancelled());

        say("%n2. A customer pays invoice 4242 after the run");
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE invoices SET status = 'PAID' WHERE id = 4242");
        }

        say("%n3. revert %s --dry-run", run.runId());
        RevertReport dry = guard.revert(run.runId(), RevertOptions.DEFAULTS.withDryRun(true));
        say("   %s", dry.summary().replace("\n", "\n   "));

        say("%n4. revert %s --force (revert the rest, leave the paid invoice alone)", run.runId());
        RevertReport reverted = guard.revert(
                run.runId(),
                RevertOptions.DEFAULTS.withForce(true).withActor("operator").withReason("INC-42"));
        say("   %s", reverted.summary().replace("\n", "\n   "));
        say("   invoices open: %,d, cancelled: %,d", invoices.open(), invoices.cancelled());

        boolean told = !dry.applied()
                && reverted.rowsReverted() == open - 1
                && reverted.conflicts().size() == 1
                && invoices.open() == open - 1
                && invoices.cancelled() == 0;
        if (!told) {
            throw new IllegalStateException("the example did not go as told; see the lines above");
        }
    }

    /** The buggy job: every open invoice due before the cutoff, one statement per invoice. */
    private void cancelRowByRow(LocalDate cutoff) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement find =
                        connection.prepareStatement("SELECT id FROM invoices WHERE status = 'OPEN' AND due_date < ?");
                PreparedStatement cancel =
                        connection.prepareStatement("UPDATE invoices SET status = 'CANCELLED' WHERE id = ?")) {
            find.setDate(1, Date.valueOf(cutoff));
            List<Long> ids = new ArrayList<>();
            try (ResultSet rows = find.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getLong(1));
                }
            }
            for (long id : ids) {
                cancel.setLong(1, id);
                cancel.executeUpdate();
            }
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
