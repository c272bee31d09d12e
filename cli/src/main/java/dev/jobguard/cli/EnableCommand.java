package dev.jobguard.cli;

import dev.jobguard.GuardMode;
import dev.jobguard.state.JobState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Enables a job again, optionally pinning a mode on its next runs. */
@Command(name = "enable", description = "Enables a job, optionally with a mode pinned on its next runs.")
final class EnableCommand extends GuardCommand {

    @Parameters(index = "0", paramLabel = "JOB", converter = NonBlank.class, description = "The job's name.")
    String job;

    @Option(
            names = "--reason",
            required = true,
            paramLabel = "REASON",
            converter = NonBlank.class,
            description = "Why (kept with the state).")
    String reason;

    @Option(
            names = "--mode",
            paramLabel = "MODE",
            converter = ModeConverter.class,
            description = "dry-run, observe or enforce: pinned on the job's next runs; without it any override is"
                    + " cleared.")
    GuardMode mode;

    @Mixin
    ActorOption actor;

    @Override
    int run(Session session) {
        boolean seen = session.knows(job);
        JobState state = mode == null
                ? session.guard().enable(job, reason, actor.name)
                : session.guard().enable(job, reason, actor.name, mode);
        out().println("Enabled job '" + state.job() + "'"
                + (mode == null ? "" : " with mode " + Text.mode(mode))
                + " (by " + state.actor() + " at " + Text.time(state.changedAt()) + "): " + state.reason());
        if (!seen) {
            out().println("Note: job '" + job + "' was never seen by this store (no state, no run);"
                    + " its row was created. Check the name if that is unexpected.");
        }
        return OK;
    }
}
