package dev.jobguard;

import dev.jobguard.sql.SqlText;

/**
 * What one distinct write statement did during a run.
 *
 * @param sql the statement's text, shortened like a {@link Trip}'s
 * @param table the table it changed (normalized), or null when unknown
 * @param operation the kind of change
 * @param executions how many times it ran (each batch entry counts once)
 * @param rows the rows it changed over all executions (a lower bound when the driver did not say)
 */
public record StatementSummary(String sql, String table, Operation operation, long executions, long rows) {

    public StatementSummary {
        sql = SqlText.shorten(sql);
    }
}
