package dev.jobguard.internal.journal;

import dev.jobguard.internal.dialect.Dialect;
import java.util.List;

/**
 * The SQL that runs a journaled UPDATE or DELETE and reads the rows it changes in one statement, on PostgreSQL: one
 * round trip instead of a locking read and then the write; and an INSERT that returns its rows' keys, on MariaDB.
 *
 * <ul>
 *   <li>DELETE: the statement with {@code RETURNING *}, the rows as they were deleted;
 *   <li>UPDATE: the statement's SET over a sub-query that locks and reads the rows its WHERE selects, joined by
 *       primary key, {@code RETURNING} each row's values before (under their own names) and after the update
 *       ({@code jg_after_<i>}, one per SET column), the same result the locking read gives.
 * </ul>
 *
 * <p>The parameters are the statement's own, in its order: the SET list's, then the WHERE's.
 */
final class ReturningCapture {

    private ReturningCapture() {}

    /**
     * @param columns the columns of the before-image (key first), as the table names them
     * @param after the columns the statement sets, as the table names them
     */
    static String update(CapturePlan.Rewrite parts, TableInfo table, List<String> columns, List<String> after) {
        Dialect dialect = Dialect.POSTGRESQL;
        StringBuilder sql = new StringBuilder(256)
                .append("UPDATE ")
                .append(parts.target())
                .append(" SET ")
                .append(parts.set())
                .append(" FROM (SELECT ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append(dialect.quote(columns.get(i)))
                    .append(" AS jg_b")
                    .append(i);
        }
        sql.append(" FROM ").append(parts.target());
        if (parts.where() != null) {
            sql.append(" WHERE ").append(parts.where());
        }
        sql.append(dialect.lockClause()).append(") AS jg_o WHERE ");
        for (int k = 0; k < table.key().size(); k++) {
            String key = table.key().get(k).name();
            sql.append(k == 0 ? "" : " AND ")
                    .append(parts.qualifier())
                    .append('.')
                    .append(dialect.quote(key))
                    .append(" = jg_o.jg_b")
                    .append(columns.indexOf(key));
        }
        sql.append(" RETURNING ");
        for (int i = 0; i < columns.size(); i++) {
            sql.append(i == 0 ? "" : ", ")
                    .append("jg_o.jg_b")
                    .append(i)
                    .append(" AS ")
                    .append(dialect.quote(columns.get(i)));
        }
        for (int i = 0; i < after.size(); i++) {
            sql.append(", ")
                    .append(parts.qualifier())
                    .append('.')
                    .append(dialect.quote(after.get(i)))
                    .append(" AS jg_after_")
                    .append(i);
        }
        return sql.toString();
    }

    /**
     * An INSERT returning its new rows' keys (MariaDB 10.5+; PostgreSQL's driver does this for generated keys). On a
     * line of its own, so that a trailing {@code --} comment of the statement does not swallow it.
     */
    static String insert(CapturePlan.Rewrite parts, TableInfo table, Dialect dialect) {
        StringBuilder sql = new StringBuilder(parts.target().length() + 32)
                .append(parts.target())
                .append("\nRETURNING ");
        for (int k = 0; k < table.key().size(); k++) {
            sql.append(k == 0 ? "" : ", ")
                    .append(dialect.quote(table.key().get(k).name()));
        }
        return sql.toString();
    }

    static String delete(CapturePlan.Rewrite parts) {
        StringBuilder sql = new StringBuilder(128).append("DELETE FROM ").append(parts.target());
        if (parts.where() != null) {
            sql.append(" WHERE ").append(parts.where());
        }
        return sql.append(" RETURNING ").append(parts.qualifier()).append(".*").toString();
    }
}
