package dev.jobguard.cli;

import dev.jobguard.Operation;
import dev.jobguard.Trip;
import dev.jobguard.state.RunRecord;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** Everything stored about one run. */
@Command(name = "show", description = "Shows one run: times, outcome, rows per table and operation, trip.")
final class ShowCommand extends GuardCommand {

    @Parameters(index = "0", paramLabel = "RUN_ID", description = "The run's id (from 'runs').")
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
        fields.row("Detail", run.detail());
        fields.print(out());
        printTrip(run.trip());
        printRows(run);
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
