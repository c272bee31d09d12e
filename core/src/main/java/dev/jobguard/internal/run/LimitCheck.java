package dev.jobguard.internal.run;

import dev.jobguard.Trip;
import dev.jobguard.TripReason;
import dev.jobguard.internal.sql.SqlStatementInfo;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * Checks a run's figures against its limits: the first limit a statement crosses, the rows a statement may still
 * change, the limit a whole-table change (TRUNCATE, DROP TABLE) is held to. Immutable; the figures are the caller's.
 */
final class LimitCheck {

    private final RunLimits limits;

    LimitCheck(RunLimits limits) {
        this.limits = limits;
    }

    /**
     * The limit a whole-table change of the table crosses: its table limit, else the per-statement limit, else the run
     * total, else the anomaly limits; {@link RunLimits#NONE} when none is set.
     */
    long wholeTableLimit(@Nullable String table) {
        long tableLimit = limits.tableLimit(table);
        if (tableLimit != RunLimits.NONE) {
            return tableLimit;
        }
        if (limits.maxRowsPerStatement() != RunLimits.NONE) {
            return limits.maxRowsPerStatement();
        }
        if (limits.maxRowsChanged() != RunLimits.NONE) {
            return limits.maxRowsChanged();
        }
        long anomalyTable = limits.anomalyTableLimit(table);
        return anomalyTable != RunLimits.NONE ? anomalyTable : limits.anomalyMaxRowsChanged();
    }

    /**
     * The most rows a statement in {@code table} may change before a limit crosses, or {@link RunLimits#NONE}.
     *
     * @param changed the run's rows so far (with those its batch would change first)
     * @param tableRows the same, in the statement's table; read only when the table has a limit
     */
    long rowsLeft(@Nullable String table, long changed, LongSupplier tableRows) {
        long left = RunLimits.NONE;
        left = tighter(left, limits.maxRowsPerStatement());
        if (limits.maxRowsChanged() != RunLimits.NONE) {
            left = tighter(left, limits.maxRowsChanged() - changed);
        }
        if (limits.anomalyMaxRowsChanged() != RunLimits.NONE) {
            left = tighter(left, limits.anomalyMaxRowsChanged() - changed);
        }
        long tableLimit = limits.tableLimit(table);
        long anomalyTable = limits.anomalyTableLimit(table);
        if (tableLimit != RunLimits.NONE || anomalyTable != RunLimits.NONE) {
            long inTable = tableRows.getAsLong();
            if (tableLimit != RunLimits.NONE) {
                left = tighter(left, tableLimit - inTable);
            }
            if (anomalyTable != RunLimits.NONE) {
                left = tighter(left, anomalyTable - inTable);
            }
        }
        return left == RunLimits.NONE ? left : Math.max(left, 0);
    }

    private static long tighter(long left, long limit) {
        if (limit == RunLimits.NONE) {
            return left;
        }
        return left == RunLimits.NONE ? limit : Math.min(left, limit);
    }

    /** Whether {@link #crossing} reads the rows of the statement's table: it has a limit, or the run a baseline. */
    boolean readsTableRows(@Nullable String table) {
        return limits.tableLimit(table) != RunLimits.NONE || limits.baseline() != null;
    }

    /**
     * The first limit crossed by a statement of {@code rows} that brings the run to {@code runTotal} rows, or null.
     *
     * @param tableRows the rows of the statement's table the run would then have changed, where {@link
     *     #readsTableRows} (else any value: not read)
     */
    @Nullable
    Trip crossing(SqlStatementInfo info, long rows, long runTotal, long tableRows) {
        long perStatement = limits.maxRowsPerStatement();
        if (perStatement != RunLimits.NONE && rows > perStatement) {
            return new Trip(TripReason.MAX_ROWS_PER_STATEMENT, perStatement, rows, info.table(), info.sql());
        }
        long total = limits.maxRowsChanged();
        if (total != RunLimits.NONE && runTotal > total) {
            return new Trip(TripReason.MAX_ROWS_CHANGED, total, runTotal, info.table(), info.sql());
        }
        long tableLimit = limits.tableLimit(info.table());
        if (tableLimit != RunLimits.NONE && tableRows > tableLimit) {
            return new Trip(TripReason.TABLE_LIMIT, tableLimit, tableRows, info.table(), info.sql());
        }
        long anomalyTotal = limits.anomalyMaxRowsChanged();
        if (anomalyTotal != RunLimits.NONE && runTotal > anomalyTotal) {
            return new Trip(TripReason.ANOMALY, anomalyTotal, runTotal, null, info.sql());
        }
        long anomalyTable = limits.anomalyTableLimit(info.table());
        if (anomalyTable != RunLimits.NONE && tableRows > anomalyTable) {
            return new Trip(TripReason.ANOMALY, anomalyTable, tableRows, info.table(), info.sql());
        }
        return null;
    }
}
