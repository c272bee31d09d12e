package dev.jobguard.cli;

import dev.jobguard.state.JobAction;
import dev.jobguard.state.JobState;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** The audit trail: who changed a job's state (or the global switch), when, why; and reverts. */
@Command(
        name = "history",
        description = "Lists the audit trail, newest first: trips, disables, enables, mode pins, ends of time-boxed"
                + " disables and reverts, of one job (or \"*\" for the global switch) or of all.")
final class HistoryCommand extends GuardCommand {

    @Parameters(
            index = "0",
            arity = "0..1",
            paramLabel = "JOB",
            converter = NonBlank.class,
            description = "The job's name; all jobs and the global switch when left out.")
    String job;

    @Option(
            names = "--limit",
            paramLabel = "N",
            defaultValue = "50",
            description = "How many entries to list (default: ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print a JSON array of entries instead.")
    boolean json;

    @Override
    void validate() {
        if (limit < 1) {
            throw new ParameterException(spec.commandLine(), "--limit must be at least 1, not " + limit);
        }
    }

    @Override
    int run(Session session) {
        List<JobAction> actions = session.guard().history(job, limit);
        if (actions.isEmpty() && job != null && !JobState.GLOBAL.equals(job) && !session.knows(job)) {
            return unknown("unknown job '" + job + "': it has no stored state and no recorded run");
        }
        if (json) {
            printJson(actions);
            return OK;
        }
        if (actions.isEmpty()) {
            out().println(job == null ? "The audit trail is empty." : "Job '" + job + "' has no recorded action.");
            return OK;
        }
        TextTable table = new TextTable("WHEN", "JOB", "ACTION", "FROM", "TO", "MODE", "BY", "REASON", "RUN", "UNTIL");
        for (JobAction action : actions) {
            table.row(
                    Text.time(action.at()),
                    action.job(),
                    action.kind(),
                    Text.or(action.fromStatus()),
                    Text.or(action.toStatus()),
                    Text.mode(action.mode()),
                    action.actor(),
                    action.reason(),
                    Text.or(action.runId()),
                    Text.time(action.until()));
        }
        table.print(out());
        return OK;
    }

    private void printJson(List<JobAction> actions) {
        Json json = new Json().beginArray();
        for (JobAction action : actions) {
            json.beginObject()
                    .name("job")
                    .value(action.job())
                    .name("action")
                    .value(action.kind().name())
                    .name("fromStatus")
                    .value(
                            action.fromStatus() == null
                                    ? null
                                    : action.fromStatus().name())
                    .name("toStatus")
                    .value(action.toStatus() == null ? null : action.toStatus().name())
                    .name("mode")
                    .value(action.mode() == null ? null : Text.mode(action.mode()))
                    .name("reason")
                    .value(action.reason())
                    .name("actor")
                    .value(action.actor())
                    .name("at")
                    .value(action.at())
                    .name("runId")
                    .value(action.runId())
                    .name("until")
                    .value(action.until())
                    .endObject();
        }
        out().println(json.endArray());
    }
}
