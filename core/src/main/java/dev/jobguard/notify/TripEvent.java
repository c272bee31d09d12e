package dev.jobguard.notify;

import dev.jobguard.GuardMode;
import dev.jobguard.Trip;
import dev.jobguard.anomaly.Baseline;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One trip, as listeners receive it.
 *
 * @param job the job's name
 * @param runId the run that tripped
 * @param node the node it ran on
 * @param mode the mode it ran in
 * @param trip what was crossed
 * @param disabled whether the trip disabled the job (ENFORCE); false for a would-trip (OBSERVE) or a dry run
 * @param at when
 * @param baseline the baseline the run's anomaly limits were drawn from, or null when it had none
 */
public record TripEvent(
        String job,
        String runId,
        String node,
        GuardMode mode,
        Trip trip,
        boolean disabled,
        Instant at,
        @Nullable Baseline baseline) {

    public TripEvent {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(trip, "trip");
        Objects.requireNonNull(at, "at");
    }

    /** A trip of a run without a baseline. */
    public TripEvent(String job, String runId, String node, GuardMode mode, Trip trip, boolean disabled, Instant at) {
        this(job, runId, node, mode, trip, disabled, at, null);
    }

    /** What an operator does to let the job run again. */
    public String howToReEnable() {
        return "re-enable with: jobguard enable " + job + " --reason \"...\" (CLI), POST /actuator/jobguard/" + job
                + " {\"action\":\"enable\",...}, or JobGuard.enable(\"" + job + "\", reason, actor)";
    }

    /** One line: job, run, what was crossed, whether the job is now disabled. */
    public String describe() {
        return "job '" + job + "' run " + runId + " on " + node + " (" + mode + ") "
                + (disabled ? "tripped and is DISABLED: " : "would have tripped: ") + trip.describe(baseline);
    }
}
