package dev.jobguard;

import dev.jobguard.anomaly.Baseline;
import dev.jobguard.internal.sql.SqlText;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What tripped a run: the limit, the figure that crossed it, the table and the statement.
 *
 * @param reason which limit was crossed
 * @param limit the limit's value
 * @param figure the figure that crossed it (rows, milliseconds or failures), or -1 when it is the whole table
 * @param table the table concerned, or null when the limit is not per table
 * @param statement the SQL of the statement that crossed the limit (shortened), or null
 * @param beforeExecution found by the preflight: the statement did not run, {@code figure} is the rows that matched
 *     it (at least)
 */
public record Trip(
        TripReason reason,
        long limit,
        long figure,
        @Nullable String table,
        @Nullable String statement,
        boolean beforeExecution) {

    public Trip {
        Objects.requireNonNull(reason, "reason");
        statement = SqlText.shortenOrNull(statement);
    }

    /** A trip found once the statement (or the run) had run. */
    public Trip(TripReason reason, long limit, long figure, @Nullable String table, @Nullable String statement) {
        this(reason, limit, figure, table, statement, false);
    }

    /** This trip, found by the preflight before its statement ran. */
    public Trip refusedBeforeExecution() {
        return new Trip(reason, limit, figure, table, statement, true);
    }

    private String rowsChanged() {
        return beforeExecution ? "at least " + figure + " rows would change" : figure + " rows changed";
    }

    /** One line for operators: what was crossed, by how much, where. */
    public String describe() {
        return describe(null);
    }

    /**
     * {@link #describe()}, saying for an anomaly trip the baseline its limit was drawn from.
     *
     * @param baseline the run's baseline, or null when not known
     */
    public String describe(@Nullable Baseline baseline) {
        StringBuilder text = new StringBuilder();
        if (reason == TripReason.WHOLE_TABLE_CHANGE) {
            text.append("a whole-table change of ").append(table).append(" (TRUNCATE/DROP) under a limit of ");
            text.append(limit).append(" rows; set ").append(reason.setting()).append(" to allow it");
        } else if (reason == TripReason.UNKNOWN_ROW_COUNT) {
            text.append("the driver did not report how many rows a statement changed");
            if (table != null) {
                text.append(" in ").append(table);
            }
            text.append(", so the limits could not be checked");
        } else if (reason == TripReason.MAX_DURATION) {
            text.append("ran ")
                    .append(figure)
                    .append(" ms, over maxDuration=")
                    .append(limit)
                    .append(" ms");
        } else if (reason == TripReason.CONSECUTIVE_FAILURES) {
            text.append(figure)
                    .append(" failed runs in a row, maxConsecutiveFailures=")
                    .append(limit);
        } else if (reason == TripReason.JOURNAL_GAP) {
            text.append("a write");
            if (table != null) {
                text.append(" to ").append(table);
            }
            text.append(" the change journal could not capture, under ").append(reason.setting());
        } else if (reason == TripReason.ANOMALY) {
            text.append(rowsChanged());
            if (table != null) {
                text.append(" in ").append(table);
            }
            text.append(", over the anomaly limit of ")
                    .append(limit)
                    .append(" = max(anomaly.min-rows, anomaly.factor x the median of the job's recent runs)");
            if (baseline != null) {
                text.append(", baseline: ").append(baseline);
            }
        } else {
            text.append(rowsChanged());
            if (table != null) {
                text.append(reason == TripReason.MAX_ROWS_PER_STATEMENT ? " by one statement on " : " in ");
                text.append(table);
            }
            text.append(", over ").append(reason.setting());
            if (reason == TripReason.TABLE_LIMIT) {
                text.append('[').append(table).append(']');
            }
            text.append('=').append(limit);
        }
        if (beforeExecution) {
            text.append(" (refused before execution by the preflight)");
        }
        if (statement != null) {
            text.append("; statement: ").append(statement);
        }
        return text.toString();
    }
}
