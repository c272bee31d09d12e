package dev.jobguard.cli;

import dev.jobguard.state.JobState;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Disables a job on every node. */
@Command(name = "disable", description = "Disables a job on every node until it is enabled again.")
final class DisableCommand extends GuardCommand {

    @Parameters(index = "0", paramLabel = "JOB", converter = NonBlank.class, description = "The job's name.")
    String job;

    @Option(
            names = "--reason",
            required = true,
            paramLabel = "REASON",
            converter = NonBlank.class,
            description = "Why (kept with the state).")
    String reason;

    @Mixin
    ActorOption actor;

    @Override
    int run(Session session) {
        boolean seen = session.knows(job);
        JobState state = session.guard().disable(job, reason, actor.name);
        out().println("Disabled job '" + state.job() + "' (by " + state.actor() + " at " + Text.time(state.changedAt())
                + "): " + state.reason());
        if (!seen) {
            out().println("Note: job '" + job + "' was never seen by this store (no state, no run);"
                    + " its row was created. Check the name if that is unexpected.");
        }
        return OK;
    }
}
