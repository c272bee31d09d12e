package dev.jobguard.config;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One job's settings from configuration ({@code jobguard.jobs.<name>.*}), each null when not set. A plain mutable
 * bean so that any configuration binder (Spring Boot's, or a hand-written one) can fill it; {@link PolicyOverrides}
 * turns it into a policy, validating every value with a message that names the property.
 */
public class JobProperties {

    // Each field's comment is what an IDE shows when it completes jobguard.jobs.<name>.* from this type. Unset, a
    // setting keeps the job's @GuardedJob value, whose default is given.

    /** How the limits are applied: enforce, observe or dry-run. Unset: the annotation's mode (enforce). */
    private String mode;

    /** Most rows the whole run may change, over all tables. Unset: the annotation's (no limit). */
    private Long maxRowsChanged;

    /** Most rows one statement may change (catches a missing WHERE). Unset: the annotation's (no limit). */
    private Long maxRowsPerStatement;

    /** Per-table limits, table name to most rows the run may change in it; replace the annotation's for that table. */
    private Map<String, Long> tables = new LinkedHashMap<>();

    /** Whether nothing the run writes commits until the whole run ends cleanly. Unset: the annotation's (false). */
    private Boolean atomic;

    /** Whether TRUNCATE and DROP TABLE escape the limits of their table. Unset: the annotation's (false). */
    private Boolean allowTruncate;

    /** Whether a write without a row count from the driver trips the run. Unset: the annotation's (false). */
    private Boolean tripOnUnknownRowCount;

    /**
     * Whether an UPDATE's or DELETE's rows are counted before it runs, where a limit could be crossed. Unset: the
     * annotation's (true).
     */
    private Boolean preflight;

    /** The anomaly limit: a run far outside the job's own history trips. */
    private final Anomaly anomaly = new Anomaly();

    /** That many failed runs in a row disable the job, 0 for never. Unset: the annotation's (3). */
    private Integer maxConsecutiveFailures;

    /** The longest a run should take, e.g. 10m or PT10M. Unset: the annotation's (no limit). */
    private Duration maxDuration;

    /** Whether a run over max-duration trips and disables the job (else it is reported). Unset: the annotation's (false). */
    private Boolean tripOnMaxDuration;

    /** How long the run's lock is held at most, with a LockProvider. Unset: the annotation's (30m). */
    private Duration lockAtMostFor;

    /** Whether a change journal of the run's writes is kept, so the run can be reverted. Unset: the annotation's (false). */
    private Boolean journal;

    /** Whether a write the journal cannot capture trips the run (else its revert is partial). Unset: the annotation's (false). */
    private Boolean tripOnJournalGap;

    /** Whether a tripped run's committed writes are reverted from the journal at once. Unset: the annotation's (false). */
    private Boolean autoRevert;

    public String getMode() {
        return mode;
    }

    public void setMode(String mode) {
        this.mode = mode;
    }

    public Long getMaxRowsChanged() {
        return maxRowsChanged;
    }

    public void setMaxRowsChanged(Long maxRowsChanged) {
        this.maxRowsChanged = maxRowsChanged;
    }

    public Long getMaxRowsPerStatement() {
        return maxRowsPerStatement;
    }

    public void setMaxRowsPerStatement(Long maxRowsPerStatement) {
        this.maxRowsPerStatement = maxRowsPerStatement;
    }

    public Map<String, Long> getTables() {
        return tables;
    }

    public void setTables(Map<String, Long> tables) {
        this.tables = tables == null ? new LinkedHashMap<>() : tables;
    }

    public Boolean getAtomic() {
        return atomic;
    }

    public void setAtomic(Boolean atomic) {
        this.atomic = atomic;
    }

    public Boolean getAllowTruncate() {
        return allowTruncate;
    }

    public void setAllowTruncate(Boolean allowTruncate) {
        this.allowTruncate = allowTruncate;
    }

    public Boolean getTripOnUnknownRowCount() {
        return tripOnUnknownRowCount;
    }

    public void setTripOnUnknownRowCount(Boolean tripOnUnknownRowCount) {
        this.tripOnUnknownRowCount = tripOnUnknownRowCount;
    }

    public Boolean getPreflight() {
        return preflight;
    }

    public void setPreflight(Boolean preflight) {
        this.preflight = preflight;
    }

    public Anomaly getAnomaly() {
        return anomaly;
    }

    public Integer getMaxConsecutiveFailures() {
        return maxConsecutiveFailures;
    }

    public void setMaxConsecutiveFailures(Integer maxConsecutiveFailures) {
        this.maxConsecutiveFailures = maxConsecutiveFailures;
    }

    public Duration getMaxDuration() {
        return maxDuration;
    }

    public void setMaxDuration(Duration maxDuration) {
        this.maxDuration = maxDuration;
    }

    public Boolean getTripOnMaxDuration() {
        return tripOnMaxDuration;
    }

    public void setTripOnMaxDuration(Boolean tripOnMaxDuration) {
        this.tripOnMaxDuration = tripOnMaxDuration;
    }

    public Boolean getJournal() {
        return journal;
    }

    public void setJournal(Boolean journal) {
        this.journal = journal;
    }

    public Boolean getTripOnJournalGap() {
        return tripOnJournalGap;
    }

    public void setTripOnJournalGap(Boolean tripOnJournalGap) {
        this.tripOnJournalGap = tripOnJournalGap;
    }

    public Boolean getAutoRevert() {
        return autoRevert;
    }

    public void setAutoRevert(Boolean autoRevert) {
        this.autoRevert = autoRevert;
    }

    public Duration getLockAtMostFor() {
        return lockAtMostFor;
    }

    public void setLockAtMostFor(Duration lockAtMostFor) {
        this.lockAtMostFor = lockAtMostFor;
    }

    /** {@code jobguard.jobs.<name>.anomaly.*}. */
    public static class Anomaly {

        /** Whether a run far outside the job's history trips. Unset: the annotation's (true). */
        private Boolean enabled;

        /** A run may change at most this many times the median of the job's recent runs. Unset: the annotation's (10). */
        private Double factor;

        /** ... and at least this many rows, whatever the median. Unset: the annotation's (50). */
        private Long minRows;

        /** Recent successful enforced runs that form the baseline. Unset: the annotation's (20). */
        private Integer history;

        /** Runs of history needed before the anomaly limit applies. Unset: the annotation's (5). */
        private Integer minRuns;

        public Boolean getEnabled() {
            return enabled;
        }

        public void setEnabled(Boolean enabled) {
            this.enabled = enabled;
        }

        public Double getFactor() {
            return factor;
        }

        public void setFactor(Double factor) {
            this.factor = factor;
        }

        public Long getMinRows() {
            return minRows;
        }

        public void setMinRows(Long minRows) {
            this.minRows = minRows;
        }

        public Integer getHistory() {
            return history;
        }

        public void setHistory(Integer history) {
            this.history = history;
        }

        public Integer getMinRuns() {
            return minRuns;
        }

        public void setMinRuns(Integer minRuns) {
            this.minRuns = minRuns;
        }
    }
}
