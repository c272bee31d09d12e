package dev.jobguard.internal.sql;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** The classification of one SQL string: one entry per statement it contains. Immutable. */
public final class ClassifiedSql {

    private final List<SqlStatementInfo> statements;
    private final boolean write;
    private final boolean returnsRows;

    /** @param statements at least one statement, in textual order */
    public ClassifiedSql(List<SqlStatementInfo> statements) {
        if (statements == null || statements.isEmpty()) {
            throw new IllegalArgumentException("statements must contain at least one statement");
        }
        this.statements = List.copyOf(statements);
        this.write = statements.stream().anyMatch(s -> s.kind().isWrite());
        this.returnsRows = statements.stream().anyMatch(SqlStatementInfo::returnsRows);
    }

    /** The statements in textual order; never empty. */
    public List<SqlStatementInfo> statements() {
        return statements;
    }

    /** True when the string holds more than one statement; a trailing semicolon does not count. */
    public boolean isMultiStatement() {
        return statements.size() > 1;
    }

    /** True when any statement may write. */
    public boolean isWrite() {
        return write;
    }

    /** True when any statement produces a result set. */
    public boolean returnsRows() {
        return returnsRows;
    }

    public SqlStatementInfo first() {
        return statements.get(0);
    }

    @Override
    public boolean equals(@Nullable Object o) {
        return o instanceof ClassifiedSql other && statements.equals(other.statements);
    }

    @Override
    public int hashCode() {
        return statements.hashCode();
    }

    @Override
    public String toString() {
        return "ClassifiedSql" + statements;
    }
}
