package dev.jobguard.cli;

import dev.jobguard.state.JobState;
import java.time.Duration;
import java.time.Instant;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;

/** Disables a job on every node. */
@Command(
        name = "disable",
        description = "Disables a job on every node until it is enabled again, or until a time (--for, --until):"
                + " then the first node that reads its state enables it again, recorded as done by jobguard.")
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

    @ArgGroup(exclusive = true)
    End end;

    /** When a time-boxed disable ends: after a duration, or at a time. */
    static final class End {
        @Option(
                names = "--for",
                paramLabel = "DURATION",
                converter = AgeConverter.class,
                description = "Enable the job again after this long: 2h, 90m, 1d, PT2H.")
        Duration duration;

        @Option(
                names = "--until",
                paramLabel = "TIME",
                converter = InstantConverter.class,
                description = "Enable the job again at this time: 2026-12-24T06:00Z, 2026-12-24T07:00+01:00.")
        Instant until;
    }

    private Instant until;

    @Override
    void validate() {
        Instant now = Instant.now();
        until = end == null ? null : end.duration != null ? now.plus(end.duration) : end.until;
        if (until != null && !until.isAfter(now)) {
            throw new ParameterException(
                    spec.commandLine(),
                    "jobguard: --until " + until + " is not in the future (now " + Text.time(now) + "): give a later"
                            + " time, or --for a duration, to disable job '" + job + "' for a while");
        }
    }

    @Override
    int run(Session session) {
        Instant now = Instant.now();
        boolean seen = session.knows(job);
        JobState state = session.guard().disable(job, reason, actor.name, until);
        out().println("Disabled job '" + state.job() + "'"
                + (state.disabledUntil() == null
                        ? ""
                        : " until " + Text.time(state.disabledUntil()) + " (" + Text.left(state.disabledUntil(), now)
                                + " from now)")
                + " (by " + state.actor() + " at " + Text.time(state.changedAt()) + "): " + state.reason());
        if (!seen) {
            out().println("Note: job '" + job + "' was never seen by this store (no state, no run);"
                    + " its row was created. Check the name if that is unexpected.");
        }
        return OK;
    }
}
