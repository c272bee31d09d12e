package dev.jobguard.cli;

import dev.jobguard.Operation;
import dev.jobguard.Trip;
import dev.jobguard.state.RunRecord;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** A job's recent runs, newest first. */
@Command(name = "runs", description = "Lists a job's recent runs, newest first.")
final class RunsCommand extends GuardCommand {

    @Parameters(index = "0", paramLabel = "JOB", converter = NonBlank.class, description = "The job's name.")
    String job;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            description = "How many runs to list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print a JSON array of runs instead.")
    boolean json;

    @Override
    void validate() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
    }

    @Override
    int run(Session session) {
        List<RunRecord> runs = session.guard().runs(job, limit);
        if (runs.isEmpty()) {
            if (!session.knows(job)) {
                return unknown("unknown job '" + job + "': it has no stored state and no recorded run");
            }
            out().println(json ? "[]" : "Job '" + job + "' has no recorded run.");
            return OK;
        }
        if (json) {
            printJson(runs);
            return OK;
        }
        TextTable table =
                new TextTable("RUN ID", "STARTED", "DURATION", "NODE", "MODE", "OUTCOME", "ROWS", "KEPT", "TRIP");
        for (RunRecord run : runs) {
            table.row(
                    run.runId(),
                    Text.time(run.startedAt()),
                    Text.duration(run.duration()),
                    run.node(),
                    Text.mode(run.mode()),
                    Text.outcome(run),
                    Text.rows(run),
                    Text.kept(run),
                    Text.tripShort(run.trip()));
        }
        table.print(out());
        return OK;
    }

    private void printJson(List<RunRecord> runs) {
        Json json = new Json().beginArray();
        for (RunRecord run : runs) {
            json.beginObject()
                    .name("runId")
                    .value(run.runId())
                    .name("job")
                    .value(run.job())
                    .name("node")
                    .value(run.node())
                    .name("mode")
                    .value(Text.mode(run.mode()))
                    .name("startedAt")
                    .value(run.startedAt())
                    .name("endedAt")
                    .value(run.endedAt())
                    .name("outcome")
                    .value(run.outcome() == null ? null : run.outcome().name())
                    .name("occurrences")
                    .value(run.occurrences())
                    .name("rowsChanged")
                    .value(run.rowsChanged())
                    .name("rowCountIsLowerBound")
                    .value(run.rowCountIsLowerBound())
                    .name("rowsCommitted")
                    .value(run.rowsCommitted())
                    .name("rowsRolledBack")
                    .value(run.rowsRolledBack())
                    .name("rowsByTable")
                    .beginObject();
            for (Map.Entry<String, Map<Operation, Long>> table : new TreeMap<>(run.rowsByTable()).entrySet()) {
                json.name(table.getKey()).counts(new TreeMap<>(table.getValue()));
            }
            json.endObject().name("trip");
            Trip trip = run.trip();
            if (trip == null) {
                json.nullValue();
            } else {
                json.beginObject()
                        .name("reason")
                        .value(trip.reason().name())
                        .name("limit")
                        .value(trip.limit())
                        .name("figure")
                        .value(trip.figure())
                        .name("table")
                        .value(trip.table())
                        .name("statement")
                        .value(trip.statement())
                        .name("beforeExecution")
                        .value(trip.beforeExecution())
                        .endObject();
            }
            json.name("detail").value(run.detail()).endObject();
        }
        out().println(json.endArray());
    }
}
