package dev.jobguard.internal.journal;

import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.sf.jsqlparser.expression.Expression;
import net.sf.jsqlparser.expression.JdbcParameter;
import net.sf.jsqlparser.expression.LongValue;
import net.sf.jsqlparser.expression.StringValue;
import net.sf.jsqlparser.expression.operators.relational.Between;
import net.sf.jsqlparser.expression.operators.relational.ComparisonOperator;
import net.sf.jsqlparser.expression.operators.relational.ExpressionList;
import net.sf.jsqlparser.expression.operators.relational.GreaterThan;
import net.sf.jsqlparser.expression.operators.relational.GreaterThanEquals;
import net.sf.jsqlparser.expression.operators.relational.InExpression;
import net.sf.jsqlparser.expression.operators.relational.MinorThan;
import net.sf.jsqlparser.expression.operators.relational.MinorThanEquals;
import net.sf.jsqlparser.schema.Column;
import org.jspecify.annotations.Nullable;

/**
 * A condition of a WHERE (one of the conditions its top-level AND joins) that bounds how many rows can match when its
 * column is the table's single-column key: {@code key BETWEEN a AND b} or {@code key >= a AND key <= b} on an integer
 * key (at most {@code b - a + 1} rows), {@code key IN (v1, ..., vn)} (at most n rows). The bounds are integer literals
 * or the statement's parameters, read per execution. The preflight skips the count when such a bound is within what
 * the limits leave: the chunk of a job that works through its table by key ranges cannot cross them.
 */
final class KeyBound {

    private final boolean integerRange;
    /** The ends of an integer range; null for a list. */
    private final @Nullable Limit low;

    private final @Nullable Limit high;
    private final int listSize;

    private KeyBound(boolean integerRange, @Nullable Limit low, @Nullable Limit high, int listSize) {
        this.integerRange = integerRange;
        this.low = low;
        this.high = high;
        this.listSize = listSize;
    }

    /** One end of a range: a literal, or the statement's parameter at an index, included or not. */
    private record Limit(long literal, int parameter, boolean inclusive) {

        /** The end's value as an integer, or null when it is not one (a parameter bound as text, a decimal, NULL). */
        @Nullable
        Long value(@Nullable ParameterSource parameters) {
            if (parameter == 0) {
                return literal;
            }
            Object value = parameters == null ? null : parameters.value(parameter);
            if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
                return ((Number) value).longValue();
            }
            if (value instanceof BigInteger big && big.bitLength() < Long.SIZE) {
                return big.longValue();
            }
            return null;
        }
    }

    /**
     * The most rows the condition lets match on a key column of this kind, or {@link Long#MAX_VALUE} when it does not
     * bound them (a range on a key that is not an integer, an end whose value is not an integer).
     */
    long mostRows(ValueCodec.Kind keyKind, @Nullable ParameterSource parameters) {
        if (!integerRange) {
            return listSize;
        }
        if (keyKind != ValueCodec.Kind.INTEGER) {
            return Long.MAX_VALUE;
        }
        Limit low = end(this.low);
        Limit high = end(this.high);
        Long from = low.value(parameters);
        Long to = high.value(parameters);
        if (from == null || to == null) {
            return Long.MAX_VALUE;
        }
        BigInteger first = BigInteger.valueOf(from).add(low.inclusive() ? BigInteger.ZERO : BigInteger.ONE);
        BigInteger last = BigInteger.valueOf(to).subtract(high.inclusive() ? BigInteger.ZERO : BigInteger.ONE);
        BigInteger count = last.subtract(first).add(BigInteger.ONE);
        if (count.signum() <= 0) {
            return 0;
        }
        return count.bitLength() < Long.SIZE ? count.longValue() : Long.MAX_VALUE;
    }

    private static Limit end(@Nullable Limit end) {
        if (end == null) {
            throw new IllegalStateException("jobguard: an integer range without its ends");
        }
        return end;
    }

    /** The bounds the conditions set, by column (lower case, unquoted); a column with several keeps the last. */
    static Map<String, KeyBound> of(List<Expression> conditions) {
        Map<String, KeyBound> bounds = new HashMap<>();
        Map<String, Limit> lows = new HashMap<>();
        Map<String, Limit> highs = new HashMap<>();
        for (Expression condition : conditions) {
            if (condition instanceof Between between && !between.isNot()) {
                String column = column(between.getLeftExpression());
                Limit from = limit(between.getBetweenExpressionStart(), true);
                Limit to = limit(between.getBetweenExpressionEnd(), true);
                if (column != null && from != null && to != null) {
                    bounds.put(column, new KeyBound(true, from, to, 0));
                }
            } else if (condition instanceof InExpression in && !in.isNot()) {
                String column = column(in.getLeftExpression());
                if (column != null
                        && in.getRightExpression() instanceof ExpressionList<?> list
                        && list.stream().allMatch(KeyBound::constant)) {
                    bounds.put(column, new KeyBound(false, null, null, list.size()));
                }
            } else if (condition instanceof ComparisonOperator comparison) {
                compare(comparison, lows, highs);
            }
        }
        lows.forEach((column, from) -> {
            Limit to = highs.get(column);
            if (to != null) {
                bounds.put(column, new KeyBound(true, from, to, 0));
            }
        });
        return Map.copyOf(bounds);
    }

    /** {@code column > x}, {@code x < column}, ...: a lower or an upper end of the column's range. */
    private static void compare(ComparisonOperator comparison, Map<String, Limit> lows, Map<String, Limit> highs) {
        boolean greater = comparison instanceof GreaterThan || comparison instanceof GreaterThanEquals;
        boolean less = comparison instanceof MinorThan || comparison instanceof MinorThanEquals;
        if (!greater && !less) {
            return;
        }
        boolean inclusive = comparison instanceof GreaterThanEquals || comparison instanceof MinorThanEquals;
        String left = column(comparison.getLeftExpression());
        String right = column(comparison.getRightExpression());
        if (left != null && right == null) {
            Limit end = limit(comparison.getRightExpression(), inclusive);
            if (end != null) {
                (greater ? lows : highs).put(left, end);
            }
        } else if (right != null && left == null) {
            Limit end = limit(comparison.getLeftExpression(), inclusive);
            if (end != null) {
                (greater ? highs : lows).put(right, end);
            }
        }
    }

    private static boolean constant(Object item) {
        return item instanceof LongValue || item instanceof StringValue || item instanceof JdbcParameter;
    }

    private static @Nullable Limit limit(Expression end, boolean inclusive) {
        if (end instanceof LongValue number) {
            BigInteger value = number.getBigIntegerValue();
            return value.bitLength() < Long.SIZE ? new Limit(value.longValue(), 0, inclusive) : null;
        }
        if (end instanceof JdbcParameter parameter && parameter.getIndex() != null && parameter.getIndex() > 0) {
            return new Limit(0, parameter.getIndex(), inclusive);
        }
        return null;
    }

    private static @Nullable String column(Expression expression) {
        if (expression instanceof Column column) {
            String name = column.getColumnName();
            if (name.length() > 1 && (name.startsWith("\"") || name.startsWith("`"))) {
                name = name.substring(1, name.length() - 1);
            }
            return name.toLowerCase(Locale.ROOT);
        }
        return null;
    }
}
