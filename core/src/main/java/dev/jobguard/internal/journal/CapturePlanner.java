package dev.jobguard.internal.journal;

import dev.jobguard.internal.sql.SqlParser;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;
import org.jspecify.annotations.Nullable;

/**
 * Works out each write's {@link CapturePlan} with JSqlParser: an UPDATE's or DELETE's WHERE becomes a SELECT of the
 * same rows with the same parameters; an INSERT's VALUES tell its rows' keys ({@link InsertPlanner}). Plans are cached
 * by SQL text (bounded). The preflight's counts, which read the same plans, are worked out by {@link
 * RowCountPlanner}.
 */
final class CapturePlanner {

    static final int MAX_CACHED = 2_000;
    static final Duration PARSE_TIMEOUT = Duration.ofMillis(500);
    /**
     * The second try of a parse that ran out of time: a plan is made once per SQL text and cached, and a gap would
     * leave the run's revert partial, so a cold or busy parser gets longer before the statement is given up on.
     */
    static final Duration PARSE_RETRY_TIMEOUT = Duration.ofSeconds(5);

    private final Map<String, CapturePlan> cache = Journaling.lru(MAX_CACHED);
    private final RowCountPlanner counts = new RowCountPlanner(this);

    CapturePlan plan(String sql, @Nullable String table) {
        CapturePlan known = cache.get(sql);
        if (known == null) {
            known = create(sql, table);
            cache.put(sql, known);
        }
        return known;
    }

    /**
     * The preflight count of an UPDATE or DELETE whose rows the capture can read, or null (see {@link
     * RowCountPlanner#rowCountQuery}).
     */
    @Nullable
    RowCountQuery rowCountQuery(String sql, @Nullable String table) {
        return counts.rowCountQuery(sql, table);
    }

    /** Why a write that may change many rows is not counted before it runs (see {@link RowCountPlanner}). */
    @Nullable
    String whyNotCountedFirst(String sql, @Nullable String table) {
        return counts.whyNotCountedFirst(sql, table);
    }

    static CapturePlan create(String sql, @Nullable String table) {
        Optional<Statement> parsed = SqlParser.parseOne(sql, PARSE_TIMEOUT, PARSE_RETRY_TIMEOUT);
        if (parsed.isEmpty()) {
            return CapturePlan.gap(table, "the statement could not be parsed, so its rows could not be read first");
        }
        Statement statement = parsed.get();
        if (statement instanceof Update update) {
            CapturePlan plan = update(update, table);
            return plan.operation() == CapturePlan.Operation.UPDATE ? plan.withRewrite(rewrite(update, sql)) : plan;
        }
        if (statement instanceof Delete delete) {
            CapturePlan plan = delete(delete, table);
            return plan.operation() == CapturePlan.Operation.DELETE ? plan.withRewrite(rewrite(delete, sql)) : plan;
        }
        if (statement instanceof Insert insert) {
            CapturePlan plan = InsertPlanner.plan(insert, table);
            return plan.operation() == CapturePlan.Operation.INSERT && insert.getReturningClause() == null
                    ? plan.withRewrite(CapturePlan.Rewrite.insert(
                            SqlParser.withoutTerminator(sql), SqlParser.countParameters(sql)))
                    : plan;
        }
        return CapturePlan.gap(
                table,
                "a " + statement.getClass().getSimpleName().toUpperCase(Locale.ROOT)
                        + " statement is not journaled (only" + " INSERT, UPDATE and DELETE are)");
    }

    private static CapturePlan update(Update update, @Nullable String table) {
        if (update.getFromItem() != null
                || notEmpty(update.getJoins())
                || notEmpty(update.getStartJoins())
                || notEmpty(update.getWithItemsList())
                || update.getTable() == null) {
            return CapturePlan.gap(table, "an UPDATE with FROM, JOIN or WITH is not journaled");
        }
        int setParameters = 0;
        List<String> setColumns = new ArrayList<>();
        List<String> afterExpressions = new ArrayList<>();
        for (UpdateSet set : update.getUpdateSets()) {
            setParameters += SqlParser.countParameters(String.valueOf(set.getValues()));
            for (Column column : set.getColumns()) {
                setColumns.add(column.getColumnName());
            }
            if (afterExpressions != null
                    && set.getColumns().size() == set.getValues().size()) {
                for (Expression value : set.getValues()) {
                    if (afterExpressions != null
                            && DeterministicExpression.test(value)
                            && !readsAny(
                                    value,
                                    setColumns.subList(
                                            0,
                                            setColumns.size() - set.getColumns().size()))) {
                        afterExpressions.add(value.toString());
                    } else {
                        afterExpressions = null;
                    }
                }
            } else {
                afterExpressions = null;
            }
        }
        CapturePlan plan = select(
                new ChangedRows(update.getTable(), update.getWhere(), update.getOrderByElements(), update.getLimit()),
                setParameters,
                CapturePlan.Operation.UPDATE,
                setColumns);
        if (afterExpressions == null) {
            return plan;
        }
        return new CapturePlan(
                plan.operation(),
                plan.table(),
                plan.select(),
                plan.parameters(),
                plan.setColumns(),
                List.of(),
                List.of(),
                null,
                List.copyOf(afterExpressions),
                setParameters,
                null);
    }

    /**
     * The UPDATE's parts, when they are all it has (no RETURNING, ORDER BY, LIMIT or modifiers) and hold every
     * parameter of its SQL; else null.
     */
    static CapturePlan.@Nullable Rewrite rewrite(Update update, String sql) {
        Table target = update.getTable();
        if (update.getReturningClause() != null
                || update.getOutputClause() != null
                || notEmpty(update.getOrderByElements())
                || update.getLimit() != null
                || update.getModifierPriority() != null
                || update.isModifierIgnore()
                || update.isTargetTableAlias()
                || target.getTimeTravelStrAfterAlias() != null) {
            return null;
        }
        String set = UpdateSet.appendUpdateSetsTo(new StringBuilder(), update.getUpdateSets())
                .toString();
        return rewrite(target, set, update.getWhere(), sql);
    }

    /** The DELETE's parts, on the same terms as an UPDATE's. */
    static CapturePlan.@Nullable Rewrite rewrite(Delete delete, String sql) {
        Table target = delete.getTable();
        if (delete.getReturningClause() != null
                || delete.getOutputClause() != null
                || notEmpty(delete.getOrderByElements())
                || delete.getLimit() != null
                || delete.getModifierPriority() != null
                || delete.isModifierIgnore()
                || delete.isModifierQuick()
                || target.getTimeTravelStrAfterAlias() != null) {
            return null;
        }
        return rewrite(target, null, delete.getWhere(), sql);
    }

    private static CapturePlan.@Nullable Rewrite rewrite(
            Table target, @Nullable String set, @Nullable Expression where, String sql) {
        String whereText = where == null ? null : where.toString();
        int parameters = (set == null ? 0 : SqlParser.countParameters(set))
                + (whereText == null ? 0 : SqlParser.countParameters(whereText));
        if (parameters != SqlParser.countParameters(sql)) {
            return null; // a parameter outside the parts: the parts are not the whole statement
        }
        String qualifier = target.getAlias() != null ? target.getAlias().getName() : target.getName();
        return new CapturePlan.Rewrite(target.toString(), qualifier, set, whereText, parameters);
    }

    @SuppressWarnings("deprecation") // JSqlParser 5.4 still reports these forms only through the deprecated getters
    private static CapturePlan delete(Delete delete, @Nullable String table) {
        if (notEmpty(delete.getTables())
                || notEmpty(delete.getUsingList())
                || notEmpty(delete.getJoins())
                || notEmpty(delete.getUsingFromItemList())
                || notEmpty(delete.getWithItemsList())
                || delete.getTable() == null) {
            return CapturePlan.gap(table, "a DELETE with USING, JOIN, WITH or several tables is not journaled");
        }
        return select(
                new ChangedRows(delete.getTable(), delete.getWhere(), delete.getOrderByElements(), delete.getLimit()),
                0,
                CapturePlan.Operation.DELETE,
                List.of());
    }

    /** The rows an UPDATE or DELETE changes: its table and its WHERE, ORDER BY and LIMIT (each may be absent). */
    private record ChangedRows(
            Table target,
            @Nullable Expression where,
            @Nullable List<OrderByElement> orderBy,
            @Nullable Limit limit) {}

    /**
     * The plan that reads the rows first with a SELECT of the same WHERE, ORDER BY and LIMIT.
     *
     * @param parametersBefore how many parameters of the statement come before its WHERE (an UPDATE's SET)
     */
    private static CapturePlan select(
            ChangedRows rows, int parametersBefore, CapturePlan.Operation operation, List<String> setColumns) {
        Table target = rows.target();
        Expression where = rows.where();
        List<OrderByElement> orderBy = rows.orderBy();
        Limit limit = rows.limit();
        StringBuilder select = new StringBuilder("SELECT * FROM ").append(target);
        int count = 0;
        if (where != null) {
            String text = where.toString();
            select.append(" WHERE ").append(text);
            count += SqlParser.countParameters(text);
        }
        if (orderBy != null && !orderBy.isEmpty()) {
            String text = orderBy.stream().map(Object::toString).collect(Collectors.joining(", "));
            select.append(" ORDER BY ").append(text);
            count += SqlParser.countParameters(text);
        }
        if (limit != null) {
            String text = limit.toString();
            select.append(text);
            count += SqlParser.countParameters(text);
        }
        int[] parameters = new int[count];
        for (int k = 0; k < count; k++) {
            parameters[k] = parametersBefore + k + 1;
        }
        return new CapturePlan(
                operation,
                target.getFullyQualifiedName(),
                select.toString(),
                parameters,
                List.copyOf(setColumns),
                List.of(),
                List.of(),
                null);
    }

    /**
     * Whether a SET value may read a column the same UPDATE sets before it: MySQL and MariaDB then read the new value
     * (left to right), others the old one, so the value is read back at the commit instead of evaluated. By name,
     * erring towards the read.
     */
    private static boolean readsAny(Expression value, List<String> columns) {
        String text = value.toString().toLowerCase(Locale.ROOT);
        for (String column : columns) {
            String name = column.replaceAll("^[\"`\\[]|[\"`\\]]$", "").toLowerCase(Locale.ROOT);
            if (Pattern.compile("(^|[^a-z0-9_$])" + Pattern.quote(name) + "($|[^a-z0-9_$])")
                    .matcher(text)
                    .find()) {
                return true;
            }
        }
        return false;
    }

    static boolean notEmpty(@Nullable List<?> list) {
        return list != null && !list.isEmpty();
    }
}
