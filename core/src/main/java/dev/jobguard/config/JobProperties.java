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

    /** {@code enforce}, {@code observe} or {@code dry-run}. */
    private String mode;

    private Long maxRowsChanged;
    private Long maxRowsPerStatement;
    /** Per-table limits: table name to most rows. */
    private Map<String, Long> tables = new LinkedHashMap<>();

    private Boolean atomic;
    private Boolean allowTruncate;
    private Boolean tripOnUnknownRowCount;
    private final Anomaly anomaly = new Anomaly();
    private Integer maxConsecutiveFailures;
    private Duration maxDuration;
    private Boolean tripOnMaxDuration;
    private Duration lockAtMostFor;
    /** Keep a change journal of the job's runs, so they can be reverted. */
    private Boolean journal;
    /** A write the journal cannot capture trips the run (instead of a partial revert). */
    private Boolean tripOnJournalGap;
    /** Revert a tripped run's committed writes at once. */
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
        private Boolean enabled;
        private Double factor;
        private Long minRows;
        private Integer history;
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
