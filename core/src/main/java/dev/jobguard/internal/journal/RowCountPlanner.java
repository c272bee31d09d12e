package dev.jobguard.internal.journal;

import dev.jobguard.internal.sql.SqlParser;
import java.util.Optional;
import java.util.Set;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.delete.Delete;
import net.sf.jsqlparser.statement.insert.Insert;
import net.sf.jsqlparser.statement.merge.Merge;
import net.sf.jsqlparser.statement.merge.MergeDelete;
import net.sf.jsqlparser.statement.merge.MergeInsert;
import net.sf.jsqlparser.statement.merge.MergeOperation;
import net.sf.jsqlparser.statement.merge.MergeSide;
import net.sf.jsqlparser.statement.merge.MergeUpdate;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;
import net.sf.jsqlparser.statement.select.Values;
import net.sf.jsqlparser.statement.update.Update;
import org.jspecify.annotations.Nullable;

/**
 * The preflight's count of the rows a write will change, worked out from its SQL with JSqlParser: an UPDATE's or
 * DELETE's as the SELECT of its {@link CapturePlan}, an {@code INSERT ... SELECT}'s as its SELECT, a MERGE's as the
 * join of its source and target; and why a write that has no such count is not counted before it runs.
 */
final class RowCountPlanner {

    private final CapturePlanner planner;

    /** @param planner the plans (cached by SQL text) an UPDATE's or DELETE's count is read from */
    RowCountPlanner(CapturePlanner planner) {
        this.planner = planner;
    }

    /**
     * The preflight count of an UPDATE or DELETE whose rows the capture can read, or null (INSERT, MERGE, a statement
     * with FROM, JOIN, WITH or several tables, or one that does not parse: counted after it ran).
     */
    @Nullable
    RowCountQuery rowCountQuery(String sql, @Nullable String table) {
        Optional<Statement> statement =
                SqlParser.parseOne(sql, CapturePlanner.PARSE_TIMEOUT, CapturePlanner.PARSE_RETRY_TIMEOUT);
        if (statement.isPresent() && statement.get() instanceof Insert insert) {
            return insertSelectCount(insert, table);
        }
        if (statement.isPresent() && statement.get() instanceof Merge merge) {
            return mergeCount(merge, table);
        }
        CapturePlan plan = planner.plan(sql, table);
        if (plan.operation() != CapturePlan.Operation.UPDATE && plan.operation() != CapturePlan.Operation.DELETE) {
            return null;
        }
        Optional<Statement> parsed =
                SqlParser.parseOne(sql, CapturePlanner.PARSE_TIMEOUT, CapturePlanner.PARSE_RETRY_TIMEOUT);
        if (parsed.isEmpty()) {
            return null;
        }
        Expression where = parsed.get() instanceof Update update
                ? update.getWhere()
                : parsed.get() instanceof Delete delete ? delete.getWhere() : null;
        return RowCountQuery.of(plan.writtenTable(), plan.rowsSelect(), plan.parameters(), where, plan.rewrite());
    }

    /**
     * Why a write that may change many rows is not counted before it runs (its preflight query is null), or null
     * when it need not be: its rows are known (INSERT ... VALUES) or its WHERE pins the primary key.
     */
    @Nullable
    String whyNotCountedFirst(String sql, @Nullable String table) {
        Optional<Statement> statement =
                SqlParser.parseOne(sql, CapturePlanner.PARSE_TIMEOUT, CapturePlanner.PARSE_RETRY_TIMEOUT);
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
            CapturePlan plan = planner.plan(sql, table);
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
    private static @Nullable RowCountQuery insertSelectCount(Insert insert, @Nullable String table) {
        Select select = insert.getSelect();
        if (select == null
                || select instanceof Values
                || (select instanceof ParenthesedSelect parenthesed && parenthesed.getSelect() instanceof Values)
                || CapturePlanner.notEmpty(insert.getWithItemsList())
                || CapturePlanner.notEmpty(select.getWithItemsList())
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
    private static @Nullable RowCountQuery mergeCount(Merge merge, @Nullable String table) {
        if (CapturePlanner.notEmpty(merge.getWithItemsList())
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

    private static int[] firstParameters(int count) {
        int[] indexes = new int[count];
        for (int i = 0; i < count; i++) {
            indexes[i] = i + 1;
        }
        return indexes;
    }
}
