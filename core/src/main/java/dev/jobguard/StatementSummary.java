package dev.jobguard;

import dev.jobguard.internal.sql.SqlText;
import org.jspecify.annotations.Nullable;

/**
 * What one distinct write statement did during a run.
 *
 * @param sql the statement's text, shortened like a {@link Trip}'s
 * @param table the table it changed (normalized), or null when unknown
 * @param operation the kind of change
 * @param executions how many times it ran (each batch entry counts once)
 * @param rows the rows it changed over all executions (a lower bound when the driver did not say)
 * @param notPreflighted why the guard did not count its rows before it ran though it could have crossed a limit (no
 *     preflight query for it, or a parameter that cannot be replayed), or null when it was counted first or needed
 *     not be
 */
public record StatementSummary(
        String sql,
        @Nullable String table,
        Operation operation,
        long executions,
        long rows,
        @Nullable String notPreflighted) {

    public StatementSummary {
        sql = SqlText.shorten(sql);
    }

    /** A statement that was counted before it ran, or needed not be. */
    public StatementSummary(String sql, @Nullable String table, Operation operation, long executions, long rows) {
        this(sql, table, operation, executions, rows, null);
    }
}
