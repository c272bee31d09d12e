package dev.jobguard.internal.journal;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How the journal captures one write statement, worked out once per SQL text.
 *
 * <ul>
 *   <li>UPDATE and DELETE: {@link #select} reads the rows the statement is about to change (its WHERE, ORDER BY and
 *       LIMIT on the same table); select parameter {@code k} is the statement's parameter {@code parameters[k-1]};
 *   <li>INSERT: {@link #insertColumns} and {@link #rows} tell where each row's values come from, so that the new
 *       rows' keys are known without a read, or are taken from the driver's generated keys;
 *   <li>GAP: the statement cannot be journaled, for the reason in {@link #gap}.
 * </ul>
 *
 * <p>{@link #afterExpressions} are an UPDATE's SET expressions, one per {@link #setColumns} entry, when every one of
 * them is deterministic ({@link DeterministicExpression}); its first {@link #setParameters} parameters are theirs.
 *
 * <p>{@link #rewrite} holds an UPDATE's or DELETE's parts as written, when the statement can be run again from them
 * together with reading the rows it changes ({@link ReturningCapture}), and an INSERT's text when it has no RETURNING
 * of its own; else null.
 */
@SuppressWarnings("ArrayRecordComponent") // parameters: read by index on every capture, never compared
record CapturePlan(
        Operation operation,
        @Nullable String table,
        @Nullable String select,
        int[] parameters,
        List<String> setColumns,
        List<String> insertColumns,
        List<List<ValueSource>> rows,
        @Nullable String gap,
        @Nullable List<String> afterExpressions,
        int setParameters,
        @Nullable Rewrite rewrite) {

    /** The plan of a statement without SET expressions to evaluate. */
    CapturePlan(
            Operation operation,
            @Nullable String table,
            @Nullable String select,
            int[] parameters,
            List<String> setColumns,
            List<String> insertColumns,
            List<List<ValueSource>> rows,
            @Nullable String gap) {
        this(operation, table, select, parameters, setColumns, insertColumns, rows, gap, null, 0, null);
    }

    /** This plan with the statement's parts for running it in one statement with its read. */
    CapturePlan withRewrite(@Nullable Rewrite parts) {
        return new CapturePlan(
                operation,
                table,
                select,
                parameters,
                setColumns,
                insertColumns,
                rows,
                gap,
                afterExpressions,
                setParameters,
                parts);
    }

    /**
     * An UPDATE's or DELETE's parts as written (deparsed): the target table with its alias, the name the statement
     * refers to it by, the SET list (null for a DELETE) and the WHERE (null when none). Together they hold all the
     * statement's {@code parameters}, in its order.
     */
    record Rewrite(
            String target,
            @Nullable String qualifier,
            @Nullable String set,
            @Nullable String where,
            int parameters) {

        /**
         * An INSERT's: {@code target} is the whole statement as written, without a trailing semicolon, so that a
         * {@code RETURNING} clause can follow it ({@link ReturningCapture#insert}).
         */
        static Rewrite insert(String statement, int parameters) {
            return new Rewrite(statement, null, null, null, parameters);
        }
    }

    /**
     * The table an UPDATE, DELETE or INSERT plan writes, which its statement names; only a GAP plan's may be unknown.
     */
    String writtenTable() {
        if (table == null) {
            throw new IllegalStateException("jobguard: a " + operation + " plan without its table");
        }
        return table;
    }

    /** The SELECT of the rows an UPDATE or DELETE plan changes. */
    String rowsSelect() {
        if (select == null) {
            throw new IllegalStateException("jobguard: a " + operation + " plan without the SELECT of its rows");
        }
        return select;
    }

    /** The {@link #rewrite} of a plan the capture checked to have one. */
    Rewrite requiredRewrite() {
        if (rewrite == null) {
            throw new IllegalStateException("jobguard: a " + operation + " plan without its parts");
        }
        return rewrite;
    }

    /** Whether the SELECT can also evaluate every SET expression, giving the after-image without a read-back. */
    boolean computesAfter() {
        return afterExpressions != null;
    }

    enum Operation {
        UPDATE,
        DELETE,
        INSERT,
        GAP
    }

    static CapturePlan gap(@Nullable String table, String why) {
        return new CapturePlan(Operation.GAP, table, null, new int[0], List.of(), List.of(), List.of(), why);
    }

    /** Where an inserted value comes from: a literal of the SQL, a parameter, or an expression only the database knows. */
    record ValueSource(@Nullable Object literal, int parameter, boolean computed) {

        static final ValueSource COMPUTED = new ValueSource(null, 0, true);

        static ValueSource literal(@Nullable Object value) {
            return new ValueSource(value, 0, false);
        }

        static ValueSource parameter(int index) {
            return new ValueSource(null, index, false);
        }
    }
}
