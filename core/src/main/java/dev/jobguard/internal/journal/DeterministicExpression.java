package dev.jobguard.internal.journal;

import java.util.Locale;
import java.util.Set;
import net.sf.jsqlparser.expression.AnalyticExpression;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.ExpressionVisitorAdapter;
import net.sf.jsqlparser.expression.Function;
import net.sf.jsqlparser.expression.JdbcNamedParameter;
import net.sf.jsqlparser.expression.NextValExpression;
import net.sf.jsqlparser.expression.TimeKeyExpression;
import net.sf.jsqlparser.expression.UserVariable;
import net.sf.jsqlparser.schema.Column;
import net.sf.jsqlparser.statement.select.ParenthesedSelect;
import net.sf.jsqlparser.statement.select.Select;

/**
 * Whether a SET expression gives the same value when a SELECT evaluates it on the row before the UPDATE: literals,
 * parameters, the row's columns and operators on them. Functions (NOW(), RANDOM(), sequences), sub-queries and
 * variables do not qualify; their after-values are read back instead.
 */
final class DeterministicExpression extends ExpressionVisitorAdapter<Void> {

    private static final Set<String> TIME_KEYWORDS = Set.of(
            "current_timestamp", "current_date", "current_time", "localtimestamp", "localtime", "sysdate", "now");

    private boolean deterministic = true;

    static boolean test(Expression expression) {
        DeterministicExpression visitor = new DeterministicExpression();
        try {
            expression.accept(visitor, null);
        } catch (RuntimeException unknownNode) {
            return false;
        }
        return visitor.deterministic;
    }

    @Override
    public <S> Void visit(Function function, S context) {
        deterministic = false;
        return null;
    }

    @Override
    public <S> Void visit(AnalyticExpression expression, S context) {
        deterministic = false;
        return null;
    }

    @Override
    public <S> Void visit(TimeKeyExpression expression, S context) {
        deterministic = false;
        return null;
    }

    @Override
    public <S> Void visit(NextValExpression expression, S context) {
        deterministic = false;
        return null;
    }

    @Override
    public <S> Void visit(UserVariable variable, S context) {
        deterministic = false;
        return null;
    }

    @Override
    public <S> Void visit(JdbcNamedParameter parameter, S context) {
        deterministic = false;
        return null;
    }

    @Override
    public <S> Void visit(ParenthesedSelect select, S context) {
        deterministic = false;
        return null;
    }

    @Override
    public <S> Void visit(Select select, S context) {
        deterministic = false;
        return null;
    }

    @Override
    public <S> Void visit(Column column, S context) {
        if (TIME_KEYWORDS.contains(column.getColumnName().toLowerCase(Locale.ROOT))) {
            deterministic = false;
        }
        return null;
    }
}
