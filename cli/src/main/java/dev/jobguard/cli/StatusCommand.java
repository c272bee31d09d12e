package dev.jobguard.cli;

import dev.jobguard.state.JobState;
import java.util.List;
import picocli.CommandLine.Command;

/** Every job with a stored state, and the global switch. */
@Command(name = "status", description = "Lists every job's state (and the global switch).")
final class StatusCommand extends GuardCommand {

    @Override
    int run(Session session) {
        JobState global = session.guard().state(JobState.GLOBAL).global();
        out().println("Global switch: " + global.status() + (global.version() == 0 ? "" : " (" + who(global) + ")"));
        List<JobState> jobs = session.guard().jobs();
        if (jobs.isEmpty()) {
            out().println("No job has a stored state yet (a job gets one when it is disabled, enabled or trips).");
            return OK;
        }
        out().println();
        TextTable table = new TextTable("JOB", "STATE", "MODE OVERRIDE", "REASON", "BY", "WHEN");
        for (JobState job : jobs) {
            table.row(
                    job.job(),
                    job.status(),
                    Text.mode(job.modeOverride()),
                    job.reason(),
                    job.actor(),
                    Text.time(job.changedAt()));
        }
        table.print(out());
        return OK;
    }

    private static String who(JobState state) {
        return "reason: " + Text.or(state.reason()) + "; by " + Text.or(state.actor()) + " at "
                + Text.time(state.changedAt());
    }
}
