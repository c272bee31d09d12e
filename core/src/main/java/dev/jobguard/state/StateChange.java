package dev.jobguard.state;

import dev.jobguard.GuardMode;
import java.time.Instant;
import java.util.Objects;

/**
 * One change of a job's state, by an operator or by a trip.
 *
 * @param job the job's name, or {@link JobState#GLOBAL}
 * @param status the new status
 * @param modeOverride the mode to pin on the job's next runs, or null for none (an enable without a mode clears it)
 * @param reason why (required)
 * @param actor who (required)
 * @param at when
 */
public record StateChange(
        String job, JobStatus status, GuardMode modeOverride, String reason, String actor, Instant at) {

    public StateChange {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
    }
}
