package dev.jobguard.cli;

import dev.jobguard.state.JobState;
import dev.jobguard.state.RunRecord;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Every job the state store knows (a stored state or a run) and its last run, and the global switch. */
@Command(name = "status", description = "Lists every job's state and last run (and the global switch).")
final class StatusCommand extends GuardCommand {

    @Option(
            names = "--json",
            description = "Print a JSON array of jobs instead (the global switch is the element with job \"*\").")
    boolean json;

    @Override
    int run(Session session) {
        JobState global = session.guard().state(JobState.GLOBAL).global();
        List<JobState> jobs = session.guard().knownJobs();
        if (json) {
            printJson(session, global, jobs);
            return OK;
        }
        Instant now = Instant.now();
        out().println("Global switch: " + Text.state(global, now)
                + (global.version() == 0 ? "" : " (" + who(global) + ")"));
        if (jobs.isEmpty()) {
            out().println("No job has run or been disabled yet.");
            return OK;
        }
        out().println();
        TextTable table = new TextTable("JOB", "STATE", "MODE OVERRIDE", "REASON", "BY", "WHEN", "LAST RUN");
        for (JobState job : jobs) {
            table.row(
                    job.job(),
                    Text.state(job, now),
                    Text.mode(job.modeOverride()),
                    job.reason(),
                    job.actor(),
                    Text.time(job.changedAt()),
                    lastRun(session, job.job()));
        }
        table.print(out());
        return OK;
    }

    private static String lastRun(Session session, String job) {
        RunRecord run = last(session, job);
        return run == null ? Text.NONE : Text.outcome(run) + " " + Text.time(run.startedAt());
    }

    private static RunRecord last(Session session, String job) {
        List<RunRecord> runs = session.guard().runs(job, 1);
        return runs.isEmpty() ? null : runs.get(0);
    }

    private void printJson(Session session, JobState global, List<JobState> jobs) {
        Json json = new Json().beginArray();
        write(json, global, null);
        for (JobState job : jobs) {
            if (!JobState.GLOBAL.equals(job.job())) {
                write(json, job, last(session, job.job()));
            }
        }
        out().println(json.endArray());
    }

    private static void write(Json json, JobState state, RunRecord lastRun) {
        json.beginObject()
                .name("job")
                .value(state.job())
                .name("status")
                .value(state.status().name())
                .name("modeOverride")
                .value(state.modeOverride() == null ? null : Text.mode(state.modeOverride()))
                .name("reason")
                .value(state.reason())
                .name("actor")
                .value(state.actor())
                .name("changedAt")
                .value(state.changedAt())
                .name("version")
                .value(state.version())
                .name("disabledUntil")
                .value(state.disabledUntil())
                .name("lastRun");
        if (lastRun == null) {
            json.nullValue();
        } else {
            json.beginObject()
                    .name("runId")
                    .value(lastRun.runId())
                    .name("outcome")
                    .value(lastRun.outcome() == null ? null : lastRun.outcome().name())
                    .name("startedAt")
                    .value(lastRun.startedAt())
                    .endObject();
        }
        json.endObject();
    }

    private static String who(JobState state) {
        return "reason: " + Text.or(state.reason()) + "; by " + Text.or(state.actor()) + " at "
                + Text.time(state.changedAt());
    }
}
