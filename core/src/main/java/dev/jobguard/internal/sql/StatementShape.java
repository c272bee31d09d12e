package dev.jobguard.internal.sql;

import org.jspecify.annotations.Nullable;

/** What the parser mapping or the token fallback found out about a statement, before its text is attached. */
record StatementShape(StatementKind kind, @Nullable String table, boolean temporary, boolean returnsRows) {

    /** No table; only reads return rows. */
    static StatementShape of(StatementKind kind) {
        return new StatementShape(kind, null, false, kind == StatementKind.READ);
    }

    /** A statement on {@code table} that returns no rows. */
    static StatementShape on(StatementKind kind, @Nullable String table) {
        return new StatementShape(kind, table, false, false);
    }

    StatementShape returningRows() {
        return new StatementShape(kind, table, temporary, true);
    }

    SqlStatementInfo toInfo(boolean parsed, String sql) {
        return new SqlStatementInfo(this, parsed, sql);
    }
}
