package dev.jobguard.state;

import dev.jobguard.GuardMode;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One change of a job's state, by an operator or by a trip; the store records it in the audit trail with it.
 *
 * @param job the job's name, or {@link JobState#GLOBAL}
 * @param status the new status
 * @param modeOverride the mode to pin on the job's next runs, or null for none (an enable without a mode clears it)
 * @param reason why (required)
 * @param actor who (required)
 * @param at when
 * @param until for a disable: when the store enables the job again by itself; null for a disable until an operator
 *     enables it. Must be after {@code at}; never set by a trip
 * @param runId the run whose trip this change records, or null for an operator's change
 */
public record StateChange(
        String job,
        JobStatus status,
        @Nullable GuardMode modeOverride,
        String reason,
        String actor,
        Instant at,
        @Nullable Instant until,
        @Nullable String runId) {

    public StateChange {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
        if (until != null && status != JobStatus.DISABLED) {
            throw new IllegalArgumentException("jobguard: job '" + job + "': only a disable can have an end (until "
                    + until + "); enable it without one");
        }
        if (until != null && !until.isAfter(at)) {
            throw new IllegalArgumentException("jobguard: job '" + job + "': a disable until " + until
                    + " ends before it starts (" + at + "): give a time in the future, or no end");
        }
        if (until != null && runId != null) {
            throw new IllegalArgumentException("jobguard: job '" + job
                    + "': a trip is never time-boxed: it lasts until an operator enables the job");
        }
    }

    /** An operator's change, with no end. */
    public StateChange(
            String job, JobStatus status, @Nullable GuardMode modeOverride, String reason, String actor, Instant at) {
        this(job, status, modeOverride, reason, actor, at, null, null);
    }

    /** What the audit trail records this change as. */
    public JobAction.Kind kind() {
        if (runId != null) {
            return JobAction.Kind.TRIPPED;
        }
        if (status == JobStatus.DISABLED) {
            return JobAction.Kind.DISABLED;
        }
        return modeOverride == null ? JobAction.Kind.ENABLED : JobAction.Kind.MODE_PINNED;
    }

    /** The audit trail's entry of this change, from a status (null when the job had no stored state). */
    public JobAction action(@Nullable JobStatus fromStatus) {
        return new JobAction(job, kind(), fromStatus, status, modeOverride, reason, actor, at, runId, until);
    }
}
