package dev.jobguard.internal.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One job's settings from configuration ({@code jobguard.jobs.<name>.*}), each null when not set. A plain mutable
 * bean so that any configuration binder (Spring Boot's, or a hand-written one) can fill it; {@link PolicyOverrides}
 * turns it into a policy, validating every value with a message that names the property.
 */
public class JobProperties {

    // Each field's comment is what an IDE shows when it completes jobguard.jobs.<name>.* from this type. Unset, a
    // setting keeps the job's @GuardedJob value, whose default is given.

    /** How the limits are applied: enforce, observe or dry-run. Unset: the annotation's mode (enforce). */
    private @Nullable String mode;

    /** Most rows the whole run may change, over all tables. Unset: the annotation's (no limit). */
    private @Nullable Long maxRowsChanged;

    /** Most rows one statement may change (catches a missing WHERE). Unset: the annotation's (no limit). */
    private @Nullable Long maxRowsPerStatement;

    /** Per-table limits, table name to most rows the run may change in it; replace the annotation's for that table. */
    private Map<String, Long> tables = new LinkedHashMap<>();

    /** Whether nothing the run writes commits until the whole run ends cleanly. Unset: the annotation's (false). */
    private @Nullable Boolean atomic;

    /** Whether TRUNCATE and DROP TABLE escape the limits of their table. Unset: the annotation's (false). */
    private @Nullable Boolean allowTruncate;

    /** Whether a write without a row count from the driver trips the run. Unset: the annotation's (false). */
    private @Nullable Boolean tripOnUnknownRowCount;

    /**
     * Whether an UPDATE's or DELETE's rows are counted before it runs, where a limit could be crossed. Unset: the
     * annotation's (true).
     */
    private @Nullable Boolean preflight;

    /** The anomaly limit: a run far outside the job's own history trips. */
    private final Anomaly anomaly = new Anomaly();

    /** That many failed runs in a row disable the job, 0 for never. Unset: the annotation's (3). */
    private @Nullable Integer maxConsecutiveFailures;

    /** The longest a run should take, e.g. 10m or PT10M. Unset: the annotation's (no limit). */
    private @Nullable Duration maxDuration;

    /** Whether a run over max-duration trips and disables the job (else it is reported). Unset: the annotation's (false). */
    private @Nullable Boolean tripOnMaxDuration;

    /** How long the run's lock is held at most, with a LockProvider. Unset: the annotation's (30m). */
    private @Nullable Duration lockAtMostFor;

    /** Whether a change journal of the run's writes is kept, so the run can be reverted. Unset: the annotation's (false). */
    private @Nullable Boolean journal;

    /** Whether a write the journal cannot capture trips the run (else its revert is partial). Unset: the annotation's (false). */
    private @Nullable Boolean tripOnJournalGap;

    /** Whether a tripped run's committed writes are reverted from the journal at once. Unset: the annotation's (false). */
    private @Nullable Boolean autoRevert;

    public @Nullable String getMode() {
        return mode;
    }

    public void setMode(@Nullable String mode) {
        this.mode = mode;
    }

    public @Nullable Long getMaxRowsChanged() {
        return maxRowsChanged;
    }

    public void setMaxRowsChanged(@Nullable Long maxRowsChanged) {
        this.maxRowsChanged = maxRowsChanged;
    }

    public @Nullable Long getMaxRowsPerStatement() {
        return maxRowsPerStatement;
    }

    public void setMaxRowsPerStatement(@Nullable Long maxRowsPerStatement) {
        this.maxRowsPerStatement = maxRowsPerStatement;
    }

    public Map<String, Long> getTables() {
        return tables;
    }

    public void setTables(@Nullable Map<String, Long> tables) {
        this.tables = tables == null ? new LinkedHashMap<>() : tables;
    }

    public @Nullable Boolean getAtomic() {
        return atomic;
    }

    public void setAtomic(@Nullable Boolean atomic) {
        this.atomic = atomic;
    }

    public @Nullable Boolean getAllowTruncate() {
        return allowTruncate;
    }

    public void setAllowTruncate(@Nullable Boolean allowTruncate) {
        this.allowTruncate = allowTruncate;
    }

    public @Nullable Boolean getTripOnUnknownRowCount() {
        return tripOnUnknownRowCount;
    }

    public void setTripOnUnknownRowCount(@Nullable Boolean tripOnUnknownRowCount) {
        this.tripOnUnknownRowCount = tripOnUnknownRowCount;
    }

    public @Nullable Boolean getPreflight() {
        return preflight;
    }

    public void setPreflight(@Nullable Boolean preflight) {
        this.preflight = preflight;
    }

    public Anomaly getAnomaly() {
        return anomaly;
    }

    public @Nullable Integer getMaxConsecutiveFailures() {
        return maxConsecutiveFailures;
    }

    public void setMaxConsecutiveFailures(@Nullable Integer maxConsecutiveFailures) {
        this.maxConsecutiveFailures = maxConsecutiveFailures;
    }

    public @Nullable Duration getMaxDuration() {
        return maxDuration;
    }

    public void setMaxDuration(@Nullable Duration maxDuration) {
        this.maxDuration = maxDuration;
    }

    public @Nullable Boolean getTripOnMaxDuration() {
        return tripOnMaxDuration;
    }

    public void setTripOnMaxDuration(@Nullable Boolean tripOnMaxDuration) {
        this.tripOnMaxDuration = tripOnMaxDuration;
    }

    public @Nullable Boolean getJournal() {
        return journal;
    }

    public void setJournal(@Nullable Boolean journal) {
        this.journal = journal;
    }

    public @Nullable Boolean getTripOnJournalGap() {
        return tripOnJournalGap;
    }

    public void setTripOnJournalGap(@Nullable Boolean tripOnJournalGap) {
        this.tripOnJournalGap = tripOnJournalGap;
    }

    public @Nullable Boolean getAutoRevert() {
        return autoRevert;
    }

    public void setAutoRevert(@Nullable Boolean autoRevert) {
        this.autoRevert = autoRevert;
    }

    public @Nullable Duration getLockAtMostFor() {
        return lockAtMostFor;
    }

    public void setLockAtMostFor(@Nullable Duration lockAtMostFor) {
        this.lockAtMostFor = lockAtMostFor;
    }

    /** {@code jobguard.jobs.<name>.anomaly.*}. */
    public static class Anomaly {

        /** Whether a run far outside the job's history trips. Unset: the annotation's (true). */
        private @Nullable Boolean enabled;

        /** A run may change at most this many times the median of the job's recent runs. Unset: the annotation's (10). */
        private @Nullable Double factor;

        /** ... and at least this many rows, whatever the median. Unset: the annotation's (50). */
        private @Nullable Long minRows;

        /** Recent successful enforced runs that form the baseline. Unset: the annotation's (20). */
        private @Nullable Integer history;

        /** Runs of history needed before the anomaly limit applies. Unset: the annotation's (5). */
        private @Nullable Integer minRuns;

        public @Nullable Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(@Nullable Boolean enabled) {
            this.enabled = enabled;
        }

        public @Nullable Double getFactor() {
            return factor;
        }

        public void setFactor(@Nullable Double factor) {
            this.factor = factor;
        }

        public @Nullable Long getMinRows() {
            return minRows;
        }

        public void setMinRows(@Nullable Long minRows) {
            this.minRows = minRows;
        }

        public @Nullable Integer getHistory() {
            return history;
        }

        public void setHistory(@Nullable Integer history) {
            this.history = history;
        }

        public @Nullable Integer getMinRuns() {
            return minRuns;
        }

        public void setMinRuns(@Nullable Integer minRuns) {
            this.minRuns = minRuns;
        }
    }
}
