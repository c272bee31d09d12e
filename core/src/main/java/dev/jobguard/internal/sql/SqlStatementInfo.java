package dev.jobguard.internal.sql;

import dev.jobguard.Operation;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** The classification of one SQL statement. Immutable. */
public final class SqlStatementInfo {

    private static final int TO_STRING_SQL_LIMIT = 200;
    private static final Set<String> WRITE_WORDS = Set.of("INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "UPSERT");

    private final StatementKind kind;
    private final @Nullable String table;
    private final boolean returnsRows;
    private final boolean temporary;
    private final boolean parsed;
    private final String sql;
    private final boolean returnsChangedRows;
    private final boolean changesOneRow;
    /** Computed once: a run looks its statements up by this on every write. */
    private final int hash;

    /**
     * A statement the guard describes itself ({@code kind} alone, its table and text), not from a parse.
     *
     * @param table the target table as {@link TableNames#normalize} returns it, or null
     * @param parsed whether the statement's text was parsed (false: classified by its tokens, or not at all)
     * @param sql the statement text (trimmed here); null is stored as ""
     */
    public static SqlStatementInfo of(
            StatementKind kind, @Nullable String table, boolean parsed, @Nullable String sql) {
        return new SqlStatementInfo(new StatementShape(kind, table, false, false), parsed, sql, false);
    }

    /**
     * @param shape what the parser mapping or the token fallback found: kind, table (normalized), whether it is
     *     temporary and returns rows
     * @param sql the statement text (trimmed here); null is stored as ""
     */
    SqlStatementInfo(StatementShape shape, boolean parsed, @Nullable String sql) {
        this(shape, parsed, sql, false);
    }

    private SqlStatementInfo(StatementShape shape, boolean parsed, @Nullable String sql, boolean changesOneRow) {
        StatementKind kind = shape.kind();
        String table = shape.table();
        boolean returnsRows = shape.returnsRows();
        boolean temporary = shape.temporary();
        this.changesOneRow = changesOneRow;
        this.kind = Objects.requireNonNull(kind, "kind");
        this.table = table;
        this.returnsRows = returnsRows;
        this.temporary = temporary;
        this.parsed = parsed;
        this.sql = sql == null ? "" : sql.trim();
        this.returnsChangedRows = returnsRows
                && kind.operation() != Operation.OTHER
                && WRITE_WORDS.contains(SqlTokenizer.firstWord(this.sql));
        this.hash = Objects.hash(kind, table, returnsRows, temporary, parsed, this.sql);
    }

    public StatementKind kind() {
        return kind;
    }

    /** The table the statement writes (or locks, creates, drops), normalized; null when there is none. */
    public @Nullable String table() {
        return table;
    }

    /**
     * True when the statement produces a result set: every READ, and writes with RETURNING (or T-SQL OUTPUT) or
     * hidden in a data-modifying WITH item of a SELECT. Their rows arrive through {@code executeQuery}.
     */
    public boolean returnsRows() {
        return returnsRows;
    }

    /**
     * True when the rows this write returns are the rows it changed, one each: the statement itself is the write
     * ({@code UPDATE ... RETURNING}). A write inside a WITH item, under EXPLAIN ANALYZE or in a SELECT from a data
     * change delta table ({@code FINAL TABLE (UPDATE ...)}) returns other rows: its count is unknown.
     */
    public boolean returnsChangedRows() {
        return returnsChangedRows;
    }

    /**
     * True when the statement changes exactly one row whenever it succeeds: a parsed single-row {@code INSERT ...
     * VALUES} (or MySQL's {@code INSERT ... SET}) without {@code IGNORE}, {@code ON CONFLICT} or {@code ON DUPLICATE
     * KEY UPDATE}. A driver that answers {@link java.sql.Statement#SUCCESS_NO_INFO} for it (pgjdbc's
     * {@code reWriteBatchedInserts}, MariaDB's bulk batches) still says exactly how many rows it changed: one.
     */
    public boolean changesOneRow() {
        return changesOneRow;
    }

    /** This statement, known to change exactly one row when it succeeds ({@link #changesOneRow()}). */
    SqlStatementInfo changingOneRow() {
        return new SqlStatementInfo(new StatementShape(kind, table, temporary, returnsRows), parsed, sql, true);
    }

    /** True for CREATE TEMPORARY/TEMP/LOCAL TEMPORARY/GLOBAL TEMPORARY TABLE and DROP TEMPORARY TABLE. */
    public boolean temporary() {
        return temporary;
    }

    /** False when the token-level fallback classified the statement (parse failed or timed out). */
    public boolean parsed() {
        return parsed;
    }

    /** The text of this one statement, trimmed, without its terminating semicolon. */
    public String sql() {
        return sql;
    }

    @Override
    public boolean equals(@Nullable Object o) {
        if (this == o) {
            return true;
        }
        return o instanceof SqlStatementInfo other
                && hash == other.hash
                && kind == other.kind
                && returnsRows == other.returnsRows
                && temporary == other.temporary
                && parsed == other.parsed
                && Objects.equals(table, other.table)
                && sql.equals(other.sql);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        String text = sql.length() <= TO_STRING_SQL_LIMIT ? sql : sql.substring(0, TO_STRING_SQL_LIMIT) + "...";
        return "SqlStatementInfo[kind=" + kind + ", table=" + table + ", returnsRows=" + returnsRows + ", temporary="
                + temporary + ", parsed=" + parsed + ", sql=" + text + "]";
    }
}
