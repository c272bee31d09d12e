package dev.jobguard.journal;

import dev.jobguard.internal.sql.SqlParser;
import dev.jobguard.journal.CapturePlan.ValueSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.schema.Table;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.merge.MergeDelete;
import net.sf.jsqlparser.statement.merge.MergeInsert;
import net.sf.jsqlparser.statement.merge.MergeOperation;
import net.sf.jsqlparser.statement.merge.MergeSide;
import net.sf.jsqlparser.statement.merge.MergeUpdate;
import net.sf.jsqlparser.statement.select.Limit;
import net.sf.jsqlparser.statement.select.OrderByElement;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import net.sf.jsqlparser.statement.update.UpdateSet;

/**
 * Works out each write's {@link CapturePlan} with JSqlParser: an UPDATE's or DELETE's WHERE becomes a SELECT of the
 * same rows with the same parameters; an INSERT's VALUES tell its rows' keys. Plans are cached by SQL text (bounded).
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

    CapturePlan plan(String sql, String table) {
        CapturePlan known = cache.get(sql);
        if (known == null) {
            known = create(sql, table);
            cache.put(sql, known);
        }
        return known;
    }

    /**
     * The preflight count of an UPDATE or DELETE whose rows the capture can read, or null (INSERT, MERGE, a statement
     * with FROM, JOIN, WITH or several tables, or one that does not parse: counted after it ran).
     */
    RowCountQuery rowCountQuery(String sql, String table) {
        Optional<Statement> statement = SqlParser.parseOne(sql, PARSE_TIMEOUT, PARSE_RETRY_TIMEOUT);
        if (statement.isPresent() && statement.get() instanceof Insert insert) {
            return insertSelectCount(insert, table);
        }
        if (statement.isPresent() && statement.get() instanceof Merge merge) {
            return mergeCount(merge, table);
        }
        CapturePlan plan = plan(sql, table);
        if (plan.operation() != CapturePlan.Operation.UPDATE && plan.operation() != CapturePlan.Operation.DELETE) {
            return null;
        }
        Optional<Statement> parsed = SqlParser.parseOne(sql, PARSE_TIMEOUT, PARSE_RETRY_TIMEOUT);
        if (parsed.isEmpty()) {
            return null;
        }
        Expression where = parsed.get() instanceof Update update
                ? update.getWhere()
                : parsed.get() instanceof Delete delete ? delete.getWhere() : null;
        return RowCountQuery.of(plan.table(), plan.select(), plan.parameters(), where, plan.rewrite());
    }

    /**
     * Why a write that may change many rows is not counted before it runs (its preflight query is null), or null
     * when it need not be: its rows are known (INSERT ... VALUES) or its WHERE pins the primary key.
     */
    String whyNotCountedFirst(String sql, String table) {
        Optional<Statement> statement = SqlParser.parseOne(sql, PARSE_TIMEOUT, PARSE_RETRY_TIMEOUT);
        if (statement.isEmpty()) {
            return "the statement could not be parsed";
        }
        if (statement.get() instanceof Insert insert) {
            Select select = insert.getSelect();
            boolean values = select == null
                    || select instanceof Values
                    || (select instanceof ParenthesedSelect parenthesed && parenthesed.getSelect() instanceof Values);
            return values
                    ? null
                    : "an INSERT ... SELECT with IGNORE, ON CONFLICT, ON DUPLICATE KEY UPDATE, WITH or RETURNING may"
                            + " change fewer rows than its SELECT returns";
        }
        if (statement.get() instanceof Merge) {
            return "a MERGE whose WHEN clauses have conditions of their own, or with a WITH, may change fewer rows"
                    + " than its source joins";
        }
        if (statement.get() instanceof Update || statement.get() instanceof Delete) {
            CapturePlan plan = plan(sql, table);
            return plan.operation() == CapturePlan.Operation.GAP ? plan.gap() : null;
        }
        return null;
    }

    /**
     * An {@code INSERT ... SELECT} adds one row per row of its SELECT: counted as that SELECT, whose parameters are
     * the statement's first. Not for VALUES (their rows are known), a WITH before the INSERT or in the SELECT, nor
     * where rows may be skipped or turned into updates (IGNORE, ON CONFLICT, ON DUPLICATE KEY UPDATE), which would
     * count more than change.
     */
    @SuppressWarnings("deprecation") // JSqlParser 5.4 still reports these forms only through the deprecated getters
    private static RowCountQuery insertSelectCount(Insert insert, String table) {
        Select select = insert.getSelect();
        if (select == null
                || select instanceof Values
                || (select instanceof ParenthesedSelect parenthesed && parenthesed.getSelect() instanceof Values)
                || hasItems(insert.getWithItemsList())
                || hasItems(select.getWithItemsList())
                || insert.isModifierIgnore()
                || insert.getConflictAction() != null
                || insert.isUseDuplicate()
                || insert.getReturningClause() != null
                || insert.getOutputClause() != null) {
            return null;
        }
        String text = select.toString();
        return new RowCountQuery(table, text, firstParameters(SqlParser.countParameters(text)), Set.of());
    }

    /**
     * A MERGE changes one target row per matched pair of source and target rows, and inserts one per unmatched source
     * row (a target row matched twice is an error): counted as the join of its source and target on its condition,
     * inner for WHEN MATCHED alone, left for both, anti-join for WHEN NOT MATCHED alone. Not when a WHEN clause has a
     * condition of its own (it may do nothing for some rows), nor with a WITH; the count's parameters (source and ON
     * condition) are the statement's first.
     */
    private static RowCountQuery mergeCount(Merge merge, String table) {
        if (hasItems(merge.getWithItemsList())
                || merge.getFromItem() == null
                || merge.getOnCondition() == null
                || merge.getOperations() == null
                || merge.getReturningClause() != null
                || merge.getOutputClause() != null) {
            return null;
        }
        boolean matched = false;
        boolean notMatched = false;
        for (MergeOperation operation : merge.getOperations()) {
            if (operation instanceof MergeUpdate update
                    && update.getAndPredicate() == null
                    && update.getWhereCondition() == null
                    && update.getDeleteWhereCondition() == null
                    && update.getSide() != MergeSide.SOURCE) {
                matched = true;
            } else if (operation instanceof MergeDelete delete
                    && delete.getAndPredicate() == null
                    && delete.getSide() != MergeSide.SOURCE) {
                matched = true;
            } else if (operation instanceof MergeInsert insert
                    && insert.getAndPredicate() == null
                    && insert.getWhereCondition() == null
                    && insert.getSide() != MergeSide.SOURCE) {
                notMatched = true;
            } else {
                return null;
            }
        }
        String source = merge.getFromItem().toString();
        String target = merge.getTable().toString();
        String on = merge.getOnCondition().toString();
        String select = matched && notMatched
                ? "SELECT 1 FROM " + source + " LEFT JOIN " + target + " ON " + on
                : matched
                        ? "SELECT 1 FROM " + source + " JOIN " + target + " ON " + on
                        : "SELECT 1 FROM " + source + " WHERE NOT EXISTS (SELECT 1 FROM " + target + " WHERE " + on
                                + ")";
        return new RowCountQuery(
                table, select, firstParameters(SqlParser.countParameters(source + " " + on)), Set.of());
    }

    private static boolean hasItems(List<?> items) {
        return items != null && !items.isEmpty();
    }

    private static int[] firstParameters(int count) {
        int[] indexes = new int[count];
        for (int i = 0; i < count; i++) {
            indexes[i] = i + 1;
        }
        return indexes;
    }

    static CapturePlan create(String sql, String table) {
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
            CapturePlan plan = insert(insert, table);
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

    private static CapturePlan update(Update update, String table) {
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
                update.getTable(),
                update.getWhere(),
                update.getOrderByElements(),
                update.getLimit(),
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
    static CapturePlan.Rewrite rewrite(Update update, String sql) {
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
    static CapturePlan.Rewrite rewrite(Delete delete, String sql) {
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

    private static CapturePlan.Rewrite rewrite(Table target, String set, Expression where, String sql) {
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
    private static CapturePlan delete(Delete delete, String table) {
        if (notEmpty(delete.getTables())
                || notEmpty(delete.getUsingList())
                || notEmpty(delete.getJoins())
                || notEmpty(delete.getUsingFromItemList())
                || notEmpty(delete.getWithItemsList())
                || delete.getTable() == null) {
            return CapturePlan.gap(table, "a DELETE with USING, JOIN, WITH or several tables is not journaled");
        }
        return select(
                delete.getTable(),
                delete.getWhere(),
                delete.getOrderByElements(),
                delete.getLimit(),
                0,
                CapturePlan.Operation.DELETE,
                List.of());
    }

    private static CapturePlan select(
            Table target,
            Expression where,
            List<OrderByElement> orderBy,
            Limit limit,
            int parametersBefore,
            CapturePlan.Operation operation,
            List<String> setColumns) {
        StringBuilder select = new StringBuilder("SELECT * FROM ").append(target);
        int count = 0;
        if (where != null) {
            String text = where.toString();
            select.append(" WHERE ").append(text);
            count += SqlParser.countParameters(text);
        }
        if (notEmpty(orderBy)) {
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

    @SuppressWarnings("deprecation") // JSqlParser 5.4 still reports these forms only through the deprecated getters
    private static CapturePlan insert(Insert insert, String table) {
        if (insert.getConflictAction() != null
                || insert.isUseDuplicate()
                || notEmpty(insert.getDuplicateUpdateSets())
                || insert.isModifierIgnore()
                || notEmpty(insert.getWithItemsList())) {
            return CapturePlan.gap(
                    table,
                    "an INSERT that may update or skip existing rows (ON CONFLICT, ON DUPLICATE KEY, IGNORE)"
                            + " is not journaled");
        }
        List<String> columns = new ArrayList<>();
        if (insert.getColumns() != null) {
            for (Column column : insert.getColumns()) {
                columns.add(column.getColumnName());
            }
        }
        List<List<ValueSource>> rows = new ArrayList<>();
        if (insert.isUseSet() && notEmpty(insert.getSetUpdateSets())) {
            int[] counter = {0};
            List<ValueSource> row = new ArrayList<>();
            for (UpdateSet set : insert.getSetUpdateSets()) {
                for (Column column : set.getColumns()) {
                    columns.add(column.getColumnName());
                }
                for (Expression value : set.getValues()) {
                    row.add(source(value, counter));
                }
            }
            rows.add(row);
        } else if (insert.getSelect() instanceof Values values) {
            ExpressionList<Expression> expressions = values.getExpressions();
            int[] counter = {0};
            boolean multiRow =
                    !expressions.isEmpty() && expressions.stream().allMatch(e -> e instanceof ExpressionList<?>);
            if (multiRow) {
                for (Expression row : expressions) {
                    List<ValueSource> values1 = new ArrayList<>();
                    for (Object value : (ExpressionList<?>) row) {
                        values1.add(source((Expression) value, counter));
                    }
                    rows.add(values1);
                }
            } else {
                List<ValueSource> row = new ArrayList<>();
                for (Expression value : expressions) {
                    row.add(source(value, counter));
                }
                rows.add(row);
            }
        }
        // INSERT ... SELECT: rows stays empty, the keys come from the driver's generated keys
        return new CapturePlan(
                CapturePlan.Operation.INSERT,
                insert.getTable().getFullyQualifiedName(),
                null,
                new int[0],
                List.of(),
                List.copyOf(columns),
                List.copyOf(rows),
                null);
    }

    private static ValueSource source(Expression value, int[] counter) {
        if (value instanceof JdbcParameter) {
            return ValueSource.parameter(++counter[0]);
        }
        counter[0] += SqlParser.countParameters(value.toString());
        if (value instanceof LongValue number) {
            return ValueSource.literal(number.getValue());
        }
        if (value instanceof StringValue text) {
            return ValueSource.literal(text.getValue());
        }
        if (value instanceof NullValue) {
            return ValueSource.literal(null);
        }
        return ValueSource.COMPUTED;
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

    private static boolean notEmpty(List<?> list) {
        return list != null && !list.isEmpty();
    }
}
