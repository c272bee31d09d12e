package dev.jobguard.state;

import dev.jobguard.GuardMode;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One entry of the audit trail ({@code jobguard_action}): a change of a job's state, or of the global switch (job
 * {@link JobState#GLOBAL}), or a revert of one of its runs, with who did it, when and why. Written in the same
 * transaction as the state change it records.
 *
 * @param job the job's name, or {@link JobState#GLOBAL} for the global switch
 * @param kind what happened
 * @param fromStatus the status before; null when the job had no stored state, and for a revert
 * @param toStatus the status after; null for a revert
 * @param mode the mode pinned by the change, or null
 * @param reason why
 * @param actor who: an operator, {@code jobguard@node} for a trip, {@link #SYSTEM_ACTOR} for an expiry
 * @param at when
 * @param runId the run concerned (the run that tripped, the run reverted), or null
 * @param until the end of a time-boxed disable (for {@link Kind#DISABLED} and {@link Kind#EXPIRED}), or null
 */
public record JobAction(
        String job,
        Kind kind,
        @Nullable JobStatus fromStatus,
        @Nullable JobStatus toStatus,
        @Nullable GuardMode mode,
        @Nullable String reason,
        String actor,
        Instant at,
        @Nullable String runId,
        @Nullable Instant until) {

    /** The actor of what jobguard does by itself (the end of a time-boxed disable). */
    public static final String SYSTEM_ACTOR = "jobguard";

    /** What an entry of the audit trail records. */
    public enum Kind {
        /** A trip disabled the job. */
        TRIPPED,
        /** An operator disabled the job (or every job: the global switch), maybe until a time. */
        DISABLED,
        /** An operator enabled the job (or turned the global switch back on), with no mode pinned. */
        ENABLED,
        /** An operator enabled the job with a mode pinned on its next runs. */
        MODE_PINNED,
        /** A time-boxed disable ended: jobguard enabled the job again. */
        EXPIRED,
        /** An operator reverted one of the job's runs from its change journal. */
        REVERTED
    }

    public JobAction {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(at, "at");
    }
}
