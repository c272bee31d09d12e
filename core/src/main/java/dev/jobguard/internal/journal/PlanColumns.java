package dev.jobguard.internal.journal;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** What a capture plan's columns and parameters are in a given table: the capture's helpers. */
final class PlanColumns {

    private PlanColumns() {}

    /** Whether each of the first {@code count} parameters was bound and can be bound again. */
    static boolean allReplayable(@Nullable ParameterSource parameters, int count) {
        for (int index = 1; index <= count; index++) {
            if (parameters == null || !parameters.replayable(index)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The UPDATE's SET expressions as their columns store them ({@link Column#asStored}), or null when a column has
     * no exact cast: its after-image is then read back from the row.
     */
    static @Nullable List<String> asStored(CapturePlan plan, TableInfo table) {
        List<String> afterExpressions = plan.afterExpressions();
        if (afterExpressions == null) {
            throw new IllegalStateException("jobguard: a plan that does not compute its after-images");
        }
        List<String> stored = new ArrayList<>(plan.setColumns().size());
        for (int i = 0; i < plan.setColumns().size(); i++) {
            String expression =
                    table.knownColumn(unquote(plan.setColumns().get(i))).asStored(afterExpressions.get(i));
            if (expression == null) {
                return null;
            }
            stored.add(expression);
        }
        return stored;
    }

    /**
     * The columns an UPDATE sets, one per SET column in its order, as the table names them (each is known: {@link
     * #updateColumns} checked).
     */
    static List<String> setColumns(CapturePlan plan, TableInfo table) {
        List<String> names = new ArrayList<>(plan.setColumns().size());
        for (String set : plan.setColumns()) {
            names.add(table.knownColumn(unquote(set)).name());
        }
        return names;
    }

    /**
     * The key columns, the columns an UPDATE sets and those the database sets on every UPDATE ({@link
     * Column#autoUpdated()}), as the table names them; null when a SET column is unknown.
     */
    static @Nullable List<String> updateColumns(CapturePlan plan, TableInfo table) {
        List<String> columns = new ArrayList<>();
        for (Column key : table.key()) {
            columns.add(key.name());
        }
        for (String set : plan.setColumns()) {
            Column column = table.column(unquote(set));
            if (column == null) {
                return null;
            }
            if (!columns.contains(column.name())) {
                columns.add(column.name());
            }
        }
        for (Column column : table.columns()) {
            if (column.autoUpdated() && !columns.contains(column.name())) {
                columns.add(column.name());
            }
        }
        return List.copyOf(columns);
    }

    static String unquote(String name) {
        if (name.length() > 1 && (name.charAt(0) == '"' || name.charAt(0) == '`')) {
            return name.substring(1, name.length() - 1);
        }
        return name;
    }
}
