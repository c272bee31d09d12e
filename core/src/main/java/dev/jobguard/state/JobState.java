package dev.jobguard.state;

import dev.jobguard.GuardMode;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The persisted, cluster-wide state of one job: enabled or disabled, an operator's mode override, and who changed it
 * last, when and why. {@link #GLOBAL} names the row that switches every job at once.
 *
 * @param job the job's name, or {@link #GLOBAL}
 * @param status enabled or disabled
 * @param modeOverride a mode an operator pinned on the job (applies to its next runs), or null
 * @param reason why the state last changed, or null
 * @param actor who changed it (an operator, or {@code jobguard@node} for a trip), or null
 * @param changedAt when it last changed, or null for a job that never changed
 * @param version incremented by every change; 0 for a job with no stored row
 * @param disabledUntil when a time-boxed disable ends (the store enables the job again when it reads it at or after
 *     that time), or null
 */
public record JobState(
        String job,
        JobStatus status,
        @Nullable GuardMode modeOverride,
        @Nullable String reason,
        @Nullable String actor,
        @Nullable Instant changedAt,
        long version,
        @Nullable Instant disabledUntil) {

    /** The name of the row holding the global switch ({@code disableAll}/{@code enableAll}). */
    public static final String GLOBAL = "*";

    public JobState {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(status, "status");
    }

    /** A state with no time-boxed disable. */
    public JobState(
            String job,
            JobStatus status,
            @Nullable GuardMode modeOverride,
            @Nullable String reason,
            @Nullable String actor,
            @Nullable Instant changedAt,
            long version) {
        this(job, status, modeOverride, reason, actor, changedAt, version, null);
    }

    /** The state of a job the store has never seen: enabled, no override. */
    public static JobState initial(String job) {
        return new JobState(job, JobStatus.ENABLED, null, null, null, null, 0);
    }

    public boolean isDisabled() {
        return status == JobStatus.DISABLED;
    }

    /** Whether the job is disabled until a time that {@code now} has reached: the store enables it again. */
    public boolean disableExpired(Instant now) {
        return isDisabled() && disabledUntil != null && !disabledUntil.isAfter(now);
    }
}
