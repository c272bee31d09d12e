package dev.jobguard.state;

import dev.jobguard.GuardMode;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.Trip;
import dev.jobguard.anomaly.RunSize;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * One run as the state store keeps it.
 *
 * @param runId the run's id
 * @param job the job's name
 * @param node the node that ran it
 * @param mode the mode it ran in
 * @param startedAt when it started
 * @param endedAt when it ended; null while {@link #running()}
 * @param outcome how it ended; null while it runs; {@link RunOutcome#ABANDONED} when its node never finished it
 * @param trip what tripped it, or null
 * @param detail why it was skipped or abandoned, or the failure's message; null when none
 * @param rowsChanged rows changed, all tables: what the run attempted, kept or not
 * @param rowCountIsLowerBound whether a driver left a count unknown
 * @param rowsByTable rows per table and operation
 * @param rowsCommitted rows of {@code rowsChanged} whose transaction committed; null while it runs, for a skipped run,
 *     and for runs recorded before jobguard kept it
 * @param rowsRolledBack rows of {@code rowsChanged} that were rolled back; null when {@code rowsCommitted} is
 * @param occurrences how many runs the record stands for: 1, or for a skipped run the consecutive skips for the same
 *     reason counted into it, from {@code startedAt} (the first) to {@code endedAt} (the last)
 */
public record RunRecord(
        String runId,
        String job,
        @Nullable String node,
        GuardMode mode,
        Instant startedAt,
        @Nullable Instant endedAt,
        @Nullable RunOutcome outcome,
        @Nullable Trip trip,
        @Nullable String detail,
        long rowsChanged,
        boolean rowCountIsLowerBound,
        Map<String, Map<Operation, Long>> rowsByTable,
        @Nullable Long rowsCommitted,
        @Nullable Long rowsRolledBack,
        long occurrences)
        implements RunSize {

    /** Longest detail kept, in characters. */
    public static final int MAX_DETAIL_LENGTH = 2000;

    public RunRecord {
        Objects.requireNonNull(runId, "runId");
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(startedAt, "startedAt");
        rowsByTable = rowsByTable == null ? Map.of() : Map.copyOf(rowsByTable);
        if (occurrences < 1) {
            throw new IllegalArgumentException("occurrences must be at least 1: " + occurrences);
        }
        if (detail != null && detail.length() > MAX_DETAIL_LENGTH) {
            detail = detail.substring(0, MAX_DETAIL_LENGTH);
        }
    }

    /** One run (not a count of skips). */
    public RunRecord(
            String runId,
            String job,
            @Nullable String node,
            GuardMode mode,
            Instant startedAt,
            @Nullable Instant endedAt,
            @Nullable RunOutcome outcome,
            @Nullable Trip trip,
            @Nullable String detail,
            long rowsChanged,
            boolean rowCountIsLowerBound,
            Map<String, Map<Operation, Long>> rowsByTable,
            @Nullable Long rowsCommitted,
            @Nullable Long rowsRolledBack) {
        this(
                runId,
                job,
                node,
                mode,
                startedAt,
                endedAt,
                outcome,
                trip,
                detail,
                rowsChanged,
                rowCountIsLowerBound,
                rowsByTable,
                rowsCommitted,
                rowsRolledBack,
                1);
    }

    /** A run whose committed and rolled-back rows are not known. */
    public RunRecord(
            String runId,
            String job,
            @Nullable String node,
            GuardMode mode,
            Instant startedAt,
            @Nullable Instant endedAt,
            @Nullable RunOutcome outcome,
            @Nullable Trip trip,
            @Nullable String detail,
            long rowsChanged,
            boolean rowCountIsLowerBound,
            Map<String, Map<Operation, Long>> rowsByTable) {
        this(
                runId,
                job,
                node,
                mode,
                startedAt,
                endedAt,
                outcome,
                trip,
                detail,
                rowsChanged,
                rowCountIsLowerBound,
                rowsByTable,
                null,
                null,
                1);
    }

    /** A run that has started and not ended. */
    public static RunRecord started(
            String runId, String job, @Nullable String node, GuardMode mode, Instant startedAt) {
        return new RunRecord(runId, job, node, mode, startedAt, null, null, null, null, 0, false, Map.of());
    }

    public boolean running() {
        return outcome == null;
    }

    /** The tables the run changed rows in. */
    @Override
    public Set<String> tablesChanged() {
        return rowsByTable.keySet();
    }

    /** Rows changed in one table, over all operations. */
    @Override
    public long rowsChanged(String table) {
        Map<Operation, Long> counts = rowsByTable.get(table);
        long rows = 0;
        if (counts != null) {
            for (long operationRows : counts.values()) {
                rows += operationRows;
            }
        }
        return rows;
    }

    /** How long it ran, or null while it runs. */
    public @Nullable Duration duration() {
        return endedAt == null ? null : Duration.between(startedAt, endedAt);
    }
}
