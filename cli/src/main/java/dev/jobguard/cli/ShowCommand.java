package dev.jobguard.cli;

import dev.jobguard.Operation;
import dev.jobguard.StatementSummary;
import dev.jobguard.Trip;
import dev.jobguard.journal.JournalEntry;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Everything stored about one run. */
@Command(
        name = "show",
        description = "Shows one run: times, outcome, rows per table and operation, trip, change journal and revert.")
final class ShowCommand extends GuardCommand {

    @Parameters(
            index = "0",
            paramLabel = "RUN_ID",
            converter = NonBlank.class,
            description = "The run's id (from 'runs').")
    String runId;

    @Override
    int run(Session session) {
        Optional<RunRecord> found = session.guard().run(runId);
        if (found.isEmpty()) {
            return unknown("unknown run '" + runId + "'");
        }
        RunRecord run = found.get();
        TextTable fields = new TextTable("Run", run.runId()).uncut();
        fields.row("Job", run.job());
        fields.row("Node", run.node());
        fields.row("Mode", Text.mode(run.mode()));
        fields.row("Started", Text.time(run.startedAt()));
        fields.row("Ended", Text.time(run.endedAt()));
        fields.row("Duration", Text.duration(run.duration()));
        fields.row("Outcome", Text.outcome(run));
        fields.row("Rows changed", run.rowsChanged() + (run.rowCountIsLowerBound() ? " (at least)" : ""));
        if (run.rowsCommitted() != null) {
            fields.row("Rows committed", run.rowsCommitted());
            fields.row("Rows rolled back", run.rowsRolledBack());
        }
        fields.row("Detail", run.detail());
        fields.print(out());
        printTrip(run.trip());
        printRows(run);
        printStatements(session, run.runId());
        printJournal(session, run.runId());
        return OK;
    }

    private void printTrip(Trip trip) {
        out().println();
        if (trip == null) {
            out().println("Trip: none");
            return;
        }
        out().println("Trip: " + trip.describe());
        TextTable fields = new TextTable("Reason", trip.reason().name()).uncut().indent(2);
        fields.row("Limit", trip.limit());
        fields.row("Figure", trip.figure() < 0 ? "whole table" : trip.figure());
        fields.row("Table", trip.table());
        fields.row("Statement", trip.statement());
        fields.print(out());
    }

    /** One line on the run's change journal, one on its revert: plain SQL, counting rather than reading the images. */
    private void printJournal(Session session, String runId) {
        out().println();
        if (!session.journalExists()) {
            out().println("Journal: none in this database");
            return;
        }
        String changeTable = session.tablePrefix() + "change";
        String revertTable = session.tablePrefix() + "revert";
        try (Connection connection = session.dataSource().getConnection()) {
            Map<String, Long> entries = new TreeMap<>();
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT operation, COUNT(*) FROM " + changeTable + " WHERE run_id = ? GROUP BY operation")) {
                select.setString(1, runId);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.put(rows.getString(1), rows.getLong(2));
                    }
                }
            }
            Long gaps = entries.remove(JournalEntry.GAP);
            long total = entries.values().stream().mapToLong(Long::longValue).sum();
            StringBuilder line = new StringBuilder("Journal: ");
            if (total == 0 && gaps == null) {
                line.append("none (the job ran without journal = true, wrote nothing, or the journal was purged)");
            } else {
                line.append(total).append(" row change(s)");
                entries.forEach((operation, count) ->
                        line.append(", ").append(operation).append(' ').append(count));
                line.append(
                        gaps == null
                                ? "; no gaps"
                                : "; " + gaps + " write(s) not journaled (a revert does not cover them)");
            }
            out().println(line);
            try (PreparedStatement select = connection.prepareStatement("SELECT revert_id, reverted_at, actor, reason,"
                    + " rows_reverted, conflicts, partial_revert FROM " + revertTable + " WHERE run_id = ?")) {
                select.setString(1, runId);
                try (ResultSet rows = select.executeQuery()) {
                    if (rows.next()) {
                        LocalDateTime at = rows.getObject(2, LocalDateTime.class); // UTC, as core writes it
                        out().println("Reverted: by " + Text.or(rows.getString(3)) + " at "
                                + Text.time(at == null ? null : at.toInstant(ZoneOffset.UTC)) + " (revert "
                                + rows.getString(1)
                                + "): " + rows.getLong(5) + " row(s) put back"
                                + (rows.getLong(6) == 0
                                        ? ""
                                        : ", " + rows.getLong(6) + " conflicting row(s) left alone")
                                + (rows.getBoolean(7) ? ", PARTIAL" : "")
                                + "; reason: " + Text.or(rows.getString(4)));
                    }
                }
            }
        } catch (SQLException failed) {
            throw new StateStoreException(
                    "jobguard: could not read the change journal of run " + runId + " from " + changeTable + " and "
                            + revertTable + ": " + failed.getMessage(),
                    failed);
        }
    }

    private void printStatements(Session session, String runId) {
        List<StatementSummary> statements = session.store().statements(runId);
        if (statements.isEmpty()) {
            return;
        }
        out().println();
        out().println("Statements (most rows first):");
        TextTable table = new TextTable("ROWS", "EXECUTIONS", "OPERATION", "TABLE", "STATEMENT")
                .indent(2)
                .uncut();
        for (StatementSummary statement : statements) {
            table.row(
                    statement.rows(),
                    statement.executions(),
                    statement.operation(),
                    statement.table(),
                    statement.sql());
        }
        table.print(out());
        List<StatementSummary> notCountedFirst = statements.stream()
                .filter(statement -> statement.notPreflighted() != null)
                .toList();
        if (!notCountedFirst.isEmpty()) {
            out().println();
            out().println("Not counted before they ran (counted once they ran, as always):");
            for (StatementSummary statement : notCountedFirst) {
                out().println("  " + statement.sql() + ": " + statement.notPreflighted());
            }
        }
    }

    private void printRows(RunRecord run) {
        out().println();
        if (run.rowsByTable().isEmpty()) {
            out().println("Rows by table: none");
            return;
        }
        out().println("Rows by table:");
        TextTable table = new TextTable("TABLE", "OPERATION", "ROWS").indent(2);
        for (Map.Entry<String, Map<Operation, Long>> entry : new TreeMap<>(run.rowsByTable()).entrySet()) {
            for (Map.Entry<Operation, Long> count : new TreeMap<>(entry.getValue()).entrySet()) {
                table.row(entry.getKey(), count.getKey(), count.getValue());
            }
        }
        table.print(out());
    }
}
