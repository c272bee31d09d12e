package dev.jobguard.internal.journal;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.sf.jsqlparser.expression.BinaryExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.Parenthesis;
import net.sf.jsqlparser.expression.operators.conditional.AndExpression;
import net.sf.jsqlparser.expression.operators.relational.EqualsTo;
import net.sf.jsqlparser.schema.Column;
import org.jspecify.annotations.Nullable;

/**
 * Counts, before an UPDATE, DELETE, INSERT ... SELECT or MERGE runs, the rows it is about to change, stopping at a
 * bound: an UPDATE's or DELETE's WHERE (with ORDER BY and LIMIT) read as a SELECT of the same table, the same rewrite
 * the journal's capture reads with; an INSERT's SELECT; a MERGE's source joined to its target. On the write's own
 * connection and transaction. Internal to jobguard: the guarded connection's preflight.
 */
public final class RowCountQuery {

    private final @Nullable String table;
    private final String select;
    private final String countSql;
    private final int[] parameters;
    private final Set<String> pinnedColumns;
    /** What bounds the rows by column, from the WHERE ({@link KeyBound}); once the key is known, its bound only. */
    private final Map<String, KeyBound> keyBounds;
    /** The kind of the table's single-column key, once known, else null. */
    private final ValueCodec.@Nullable Kind keyKind;
    /** The statement's parts ({@link CapturePlan.Rewrite}), when it can run with its count folded in; else null. */
    private final CapturePlan.@Nullable Rewrite parts;
    /** The statement with its count folded in, when {@link #parts} are known; else null. */
    private final @Nullable String foldedSql;

    RowCountQuery(@Nullable String table, String select, int[] parameters, Set<String> pinnedColumns) {
        this(table, select, parameters, new Where(pinnedColumns, Map.of(), null), null);
    }

    /** What a WHERE pins and bounds: its columns set equal to a value, its bounds by column, the key's kind if known. */
    private record Where(
            Set<String> pinnedColumns, Map<String, KeyBound> keyBounds, ValueCodec.@Nullable Kind keyKind) {}

    private RowCountQuery(
            @Nullable String table, String select, int[] parameters, Where where, CapturePlan.@Nullable Rewrite parts) {
        this.table = table;
        this.select = select;
        // the bound is a parameter, so the text stays the same while what the limits leave shrinks (drivers cache
        // the statement's plan by its text); counted in the server: one row comes back, not up to the bound
        this.countSql = "SELECT COUNT(*) FROM (SELECT 1 AS jg_one FROM (" + select + ") jg_preflight LIMIT ?) jg_count";
        this.parameters = parameters;
        this.pinnedColumns = where.pinnedColumns();
        this.keyBounds = where.keyBounds();
        this.keyKind = where.keyKind();
        this.parts = parts;
        this.foldedSql = parts == null ? null : folded(parts, countSql);
    }

    /**
     * An UPDATE's or DELETE's count, with what its WHERE pins and bounds.
     *
     * @param parts the statement's parts when they are the whole statement (it can then run with its count folded in,
     *     {@link #foldedSql}), else null
     */
    static RowCountQuery of(
            @Nullable String table,
            String select,
            int[] parameters,
            @Nullable Expression where,
            CapturePlan.@Nullable Rewrite parts) {
        List<Expression> conditions = new ArrayList<>();
        collect(where, conditions);
        return new RowCountQuery(
                table, select, parameters, new Where(pinnedColumns(conditions), KeyBound.of(conditions), null), parts);
    }

    /** The query whose rows are counted (bounded when it runs). */
    String select() {
        return select;
    }

    /** The statement's parameters the query binds, in its order. */
    int[] parameters() {
        return parameters.clone();
    }

    /** The table the statement writes, as written in it; null when the classifier did not know it. */
    @Nullable
    String table() {
        return table;
    }

    /** Whether the statement has a WHERE that may pin or bound a key (an INSERT ... SELECT or a MERGE has none). */
    boolean mayPin() {
        return !pinnedColumns.isEmpty() || !keyBounds.isEmpty();
    }

    /** This count once the table's key is known: only a bound on a single-column key is kept. */
    RowCountQuery withKey(List<dev.jobguard.internal.journal.Column> key) {
        KeyBound bound =
                key.size() == 1 ? keyBounds.get(unquoted(key.get(0).name()).toLowerCase(Locale.ROOT)) : null;
        Where where = new Where(
                pinnedColumns,
                bound == null ? Map.of() : Map.of("", bound),
                bound == null ? null : key.get(0).kind());
        return new RowCountQuery(table, select, parameters, where, parts);
    }

    /**
     * The most rows the WHERE lets match by its bound on the table's key with these parameters ({@link KeyBound}), or
     * {@link Long#MAX_VALUE} when it sets none: when that is within what the limits leave, the count cannot change
     * the answer.
     */
    public long mostRows(@Nullable ParameterSource source) {
        if (keyKind == null) {
            return Long.MAX_VALUE;
        }
        KeyBound bound = keyBounds.get("");
        return bound == null ? Long.MAX_VALUE : bound.mostRows(keyKind, source);
    }

    /** Whether the WHERE pins every column of this key by equality: then the statement changes at most one row. */
    boolean pins(List<String> keyColumns) {
        if (keyColumns.isEmpty()) {
            return false;
        }
        for (String key : keyColumns) {
            if (!pinnedColumns.contains(key.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    /** Whether the query can bind what it needs from these parameters (plain SQL has none). */
    public boolean canBind(@Nullable ParameterSource source) {
        if (parameters.length == 0) {
            return true;
        }
        if (source == null) {
            return false;
        }
        for (int index : parameters) {
            if (!source.replayable(index)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The rows the statement would change, counted up to {@code atMost} + 1 (more is not read).
     *
     * @param timeoutSeconds the job statement's query timeout, which the count keeps (0: none)
     */
    public long count(Connection raw, @Nullable ParameterSource source, long atMost, int timeoutSeconds)
            throws SQLException {
        try (PreparedStatement count = raw.prepareStatement(countSql)) {
            if (timeoutSeconds > 0) {
                count.setQueryTimeout(timeoutSeconds);
            }
            bindCount(count, source, 1, atMost);
            try (ResultSet matching = count.executeQuery()) {
                matching.next();
                return matching.getLong(1);
            }
        }
    }

    /**
     * Binds the count's parameters from {@code position} on: the statement's parameters its SELECT reads, then the bound
     * ({@code atMost} + 1, more is not read).
     *
     * @return the next position
     */
    private int bindCount(PreparedStatement target, @Nullable ParameterSource source, int position, long atMost)
            throws SQLException {
        int next = position;
        if (parameters.length > 0) {
            ParameterSource values = Objects.requireNonNull(source, "the parameters of a prepared statement");
            for (int index : parameters) {
                values.bind(index, target, next++);
            }
        }
        target.setLong(next++, atMost >= Long.MAX_VALUE - 1 ? Long.MAX_VALUE : atMost + 1);
        return next;
    }

    /**
     * The statement itself with its count as one more condition: {@code UPDATE t SET ... WHERE (<its WHERE>) AND
     * (<the count up to a bound>) <= ?}. The count does not depend on the row, so a database that plans it once
     * before the first row (PostgreSQL: an InitPlan behind a one-time filter) changes the statement's rows when they
     * are within what the limits leave, and reads none of them when they are more, in one round trip. Null when the
     * statement is not an UPDATE or DELETE of parts that are the whole of it.
     */
    @Nullable
    String foldedSql() {
        return foldedSql;
    }

    private static String folded(CapturePlan.Rewrite parts, String countSql) {
        StringBuilder sql = new StringBuilder(countSql.length() + 128);
        if (parts.set() != null) {
            sql.append("UPDATE ").append(parts.target()).append(" SET ").append(parts.set());
        } else {
            sql.append("DELETE FROM ").append(parts.target());
        }
        sql.append(" WHERE ");
        if (parts.where() != null) {
            sql.append('(').append(parts.where()).append(") AND ");
        }
        return sql.append('(').append(countSql).append(") <= ?").toString();
    }

    /** Whether the statement can run with its count folded in, with every parameter it has taken from these. */
    public boolean canFold(@Nullable ParameterSource source) {
        if (parts == null || foldedSql == null) {
            return false;
        }
        if (parts.parameters() == 0) {
            return true;
        }
        if (source == null) {
            return false;
        }
        // the count's parameters are among the statement's
        for (int index = 1; index <= parts.parameters(); index++) {
            if (!source.replayable(index)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs the statement with its count folded in ({@link #foldedSql}), on the write's own connection and transaction:
     * it changes its rows when at most {@code atMost} match, and none when more do.
     *
     * @param timeoutSeconds the job statement's query timeout, which the statement keeps (0: none)
     * @return the rows it changed: 0 when more than {@code atMost} matched, or none did ({@link #count} tells which)
     */
    public long runFolded(Connection raw, @Nullable ParameterSource source, long atMost, int timeoutSeconds)
            throws SQLException {
        CapturePlan.Rewrite known = parts;
        String sql = foldedSql;
        if (known == null || sql == null) {
            throw new IllegalStateException("jobguard: the count of " + select + " cannot ride in its statement");
        }
        try (PreparedStatement folded = raw.prepareStatement(sql)) {
            if (timeoutSeconds > 0) {
                folded.setQueryTimeout(timeoutSeconds);
            }
            if (known.parameters() > 0) {
                ParameterSource values = Objects.requireNonNull(source, "the parameters of a prepared statement");
                for (int position = 1; position <= known.parameters(); position++) {
                    values.bind(position, folded, position);
                }
            }
            int next = bindCount(folded, source, known.parameters() + 1, atMost);
            folded.setLong(next, atMost);
            return folded.executeLargeUpdate();
        }
    }

    /** The columns a WHERE sets equal to something at its top level (an AND of conditions), lower case. */
    private static Set<String> pinnedColumns(List<Expression> conditions) {
        return conditions.stream()
                .filter(EqualsTo.class::isInstance)
                .map(EqualsTo.class::cast)
                .flatMap(equals -> Stream.of(column(equals, true), column(equals, false)))
                .filter(Objects::nonNull)
                .collect(Collectors.toUnmodifiableSet());
    }

    private static @Nullable String column(BinaryExpression equals, boolean left) {
        Expression side = left ? equals.getLeftExpression() : equals.getRightExpression();
        Expression other = left ? equals.getRightExpression() : equals.getLeftExpression();
        if (side instanceof Column column && !(other instanceof Column)) {
            return unquoted(column.getColumnName()).toLowerCase(Locale.ROOT);
        }
        return null;
    }

    private static String unquoted(String name) {
        if (name.length() > 1 && (name.startsWith("\"") || name.startsWith("`"))) {
            return name.substring(1, name.length() - 1);
        }
        return name;
    }

    @SuppressWarnings("removal") // JSqlParser 5.4 still wraps a parenthesised condition in Parenthesis
    private static void collect(@Nullable Expression where, List<Expression> conditions) {
        if (where instanceof AndExpression and) {
            collect(and.getLeftExpression(), conditions);
            collect(and.getRightExpression(), conditions);
        } else if (where instanceof Parenthesis parenthesis) {
            collect(parenthesis.getExpression(), conditions);
        } else if (where != null) {
            conditions.add(where);
        }
    }
}
