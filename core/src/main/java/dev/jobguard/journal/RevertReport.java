package dev.jobguard.journal;

import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a revert did, or would do ({@link #dryRun}).
 *
 * @param runId the reverted run
 * @param revertId the revert's own id (recorded in {@code jobguard_revert}); null when nothing was applied
 * @param dryRun whether everything was rolled back afterwards
 * @param applied whether the revert's changes were made (false when conflicts stopped it without {@code force})
 * @param rowsByTable rows put back per table: {@code removed} (inserted by the run), {@code restored} (updated),
 *     {@code reinserted} (deleted)
 * @param conflicts rows changed since the run, left alone: the first {@link #LISTED_CONFLICTS} found
 * @param gaps writes of the run the journal could not capture: the revert does not cover them
 * @param conflictCount all rows changed since the run, listed or not
 */
public record RevertReport(
        String runId,
        @Nullable String revertId,
        boolean dryRun,
        boolean applied,
        Map<String, Map<String, Long>> rowsByTable,
        List<Conflict> conflicts,
        List<String> gaps,
        long conflictCount) {

    /** The most conflicts a report lists; {@link #conflictCount} counts them all. */
    public static final int LISTED_CONFLICTS = 1000;

    public RevertReport {
        rowsByTable = Map.copyOf(rowsByTable);
        conflicts = List.copyOf(conflicts);
        gaps = List.copyOf(gaps);
        if (conflictCount < conflicts.size()) {
            throw new IllegalArgumentException("conflictCount " + conflictCount + " < " + conflicts.size());
        }
    }

    /** A report that lists every conflict. */
    public RevertReport(
            String runId,
            @Nullable String revertId,
            boolean dryRun,
            boolean applied,
            Map<String, Map<String, Long>> rowsByTable,
            List<Conflict> conflicts,
            List<String> gaps) {
        this(runId, revertId, dryRun, applied, rowsByTable, conflicts, gaps, conflicts.size());
    }

    /** A row changed after the run. */
    public record Conflict(String table, String key, String detail) {}

    /** Rows put back, all tables. */
    public long rowsReverted() {
        return rowsByTable.values().stream()
                .flatMap(counts -> counts.values().stream())
                .mapToLong(Long::longValue)
                .sum();
    }

    /** Whether some of the run's writes are not covered: gaps in its journal, or conflicts left alone. */
    public boolean partial() {
        return !gaps.isEmpty() || conflictCount > 0;
    }

    /** One paragraph for operators. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        text.append(dryRun ? "Dry run of the revert of run " : "Revert of run ")
                .append(runId)
                .append(": ");
        if (!applied) {
            text.append("NOT applied: ")
                    .append(conflictCount)
                    .append(" row(s) changed since the run (use force to")
                    .append(" revert the others and leave those alone)");
        } else {
            text.append(rowsReverted())
                    .append(" row(s) ")
                    .append(dryRun ? "would be " : "")
                    .append("put back");
            rowsByTable.forEach((table, counts) ->
                    text.append("; ").append(table).append(' ').append(counts));
            if (conflictCount > 0) {
                text.append("; ").append(conflictCount).append(" conflicting row(s) left alone");
            }
        }
        if (!gaps.isEmpty()) {
            text.append("; PARTIAL: ").append(gaps.size()).append(" write(s) of the run were not journaled");
        }
        for (Conflict conflict : conflicts.subList(0, Math.min(conflicts.size(), 10))) {
            text.append("\n  conflict: ")
                    .append(conflict.table())
                    .append(' ')
                    .append(conflict.key())
                    .append(": ")
                    .append(conflict.detail());
        }
        if (conflictCount > 10) {
            text.append("\n  ... and ").append(conflictCount - 10).append(" more conflicting row(s)");
        }
        for (String gap : gaps.subList(0, Math.min(gaps.size(), 10))) {
            text.append("\n  not journaled: ").append(gap);
        }
        return text.toString();
    }
}
