package dev.jobguard.internal.journal;

import dev.jobguard.internal.journal.CapturePlan.ValueSource;
import dev.jobguard.internal.sql.SqlParser;
import java.util.ArrayList;
import java.util.List;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.NullValue;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.UpdateSet;
import org.jspecify.annotations.Nullable;

/**
 * The {@link CapturePlan} of an INSERT: where each of its rows' values comes from (a parameter, a literal, or an
 * expression the database computes), so that the new rows' keys are known without a read; an INSERT ... SELECT's keys
 * come from the driver's generated keys. An INSERT that may update or skip existing rows is a gap.
 */
final class InsertPlanner {

    private InsertPlanner() {}

    @SuppressWarnings("deprecation") // JSqlParser 5.4 still reports these forms only through the deprecated getters
    static CapturePlan plan(Insert insert, @Nullable String table) {
        if (insert.getConflictAction() != null
                || insert.isUseDuplicate()
                || CapturePlanner.notEmpty(insert.getDuplicateUpdateSets())
                || insert.isModifierIgnore()
                || CapturePlanner.notEmpty(insert.getWithItemsList())) {
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
        if (insert.isUseSet() && CapturePlanner.notEmpty(insert.getSetUpdateSets())) {
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
}
