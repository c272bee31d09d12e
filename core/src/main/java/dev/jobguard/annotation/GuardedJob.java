package dev.jobguard.annotation;

import dev.jobguard.GuardMode;
import dev.jobguard.anomaly.AnomalyPolicy;
import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a scheduled job (a method, or a Quartz job class) whose database writes are guarded.
 *
 * <p>Limits left at {@link #UNSET} mean "no limit" for that dimension. Turn an annotation into a policy with
 * {@code dev.jobguard.GuardPolicy.from(GuardedJob, String)}.
 */
@Target({ElementType.METHOD, ElementType.TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface GuardedJob {

    /** The value of a limit that is not set. */
    long UNSET = -1;

    /** The job's name, used for its state, history, metrics and operator commands; the adapter supplies a default. */
    String name() default "";

    /** Most rows the whole run may change, over all tables. */
    long maxRowsChanged() default UNSET;

    /** Most rows one statement may change (catches a missing WHERE). */
    long maxRowsPerStatement() default UNSET;

    /** Per-table limits on the rows the run may change. */
    TableLimit[] tables() default {};

    /** How the limits are applied. */
    GuardMode mode() default GuardMode.ENFORCE;

    /** When true, nothing the run writes commits until the whole run ends cleanly. */
    boolean atomic() default false;

    /** When true, TRUNCATE and DROP TABLE do not trip a limit that covers their table. */
    boolean allowTruncate() default false;

    /** When true, a write whose row count the driver does not report (batch -2) trips the run. */
    boolean tripOnUnknownRowCount() default false;

    /**
     * Whether an UPDATE's or DELETE's rows are counted before it runs where a limit could be crossed, so that a
     * runaway statement is refused before it changes anything ({@code GuardPolicy#preflight()}).
     */
    boolean preflight() default true;

    /** Whether a run far outside the job's own history trips (see {@link AnomalyPolicy}). */
    boolean anomaly() default true;

    /** A run may change at most this many times the median of the job's recent runs. */
    double anomalyFactor() default AnomalyPolicy.DEFAULT_FACTOR;

    /** ... and at least this many rows, whatever the median. */
    long anomalyMinRows() default AnomalyPolicy.DEFAULT_MIN_ROWS;

    /** Recent successful ENFORCE runs that form the baseline. */
    int anomalyHistory() default AnomalyPolicy.DEFAULT_HISTORY;

    /** Runs of history needed before the anomaly limit applies. */
    int anomalyMinRuns() default AnomalyPolicy.DEFAULT_MIN_RUNS;

    /** That many FAILED runs in a row disable the job; 0 for never. */
    // GuardPolicy.DEFAULT_MAX_CONSECUTIVE_FAILURES (the policy reads the annotation, not the other way round);
    // PolicySettingTest holds the two equal
    int maxConsecutiveFailures() default 3;

    /** The longest a run should take, as an ISO-8601 duration (e.g. {@code PT10M}); empty for no limit. */
    String maxDuration() default "";

    /** Whether a run over {@link #maxDuration()} trips and disables the job, rather than only being reported. */
    boolean tripOnMaxDuration() default false;

    /** How long the run's lock is held at most, when a LockProvider is configured (ISO-8601); empty for 30 min. */
    String lockAtMostFor() default "";

    /** Keeps a change journal of the run's writes in {@code jobguard_change}, so the run can be reverted. */
    boolean journal() default false;

    /** Whether a write the journal cannot capture trips the run, rather than only making its revert partial. */
    boolean tripOnJournalGap() default false;

    /** Whether a tripped run's already committed writes are reverted from the journal at once. */
    boolean autoRevert() default false;
}
