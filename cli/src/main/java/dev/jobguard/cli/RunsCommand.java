package dev.jobguard.cli;

import dev.jobguard.state.RunRecord;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** A job's recent runs, newest first. */
@Command(name = "runs", description = "Lists a job's recent runs, newest first.")
final class RunsCommand extends GuardCommand {

    @Parameters(index = "0", paramLabel = "JOB", description = "The job's name.")
    String job;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "20",
            description = "How many runs to list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Override
    int run(Session session) {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
        List<RunRecord> runs = session.guard().runs(job, limit);
        if (runs.isEmpty()) {
            if (!session.knows(job)) {
                return unknown("unknown job '" + job + "': it has no stored state and no recorded run");
            }
            out().println("Job '" + job + "' has no recorded run.");
            return OK;
        }
        TextTable table = new TextTable("RUN ID", "STARTED", "DURATION", "NODE", "MODE", "OUTCOME", "ROWS", "TRIP");
        for (RunRecord run : runs) {
            table.row(
                    run.runId(),
                    Text.time(run.startedAt()),
                    Text.duration(run.duration()),
                    run.node(),
                    Text.mode(run.mode()),
                    Text.outcome(run),
                    Text.rows(run),
                    Text.tripShort(run.trip()));
        }
        table.print(out());
        return OK;
    }
}
