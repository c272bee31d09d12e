package dev.jobguard.internal.journal;

import dev.jobguard.internal.journal.CapturePlan.ValueSource;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** The keys of the rows an INSERT added: from its VALUES (literals and parameters), or from generated keys. */
final class InsertKeys {

    private InsertKeys() {}

    /**
     * Where each key column's value sits in the INSERT's rows, or null when some key column gets no literal or
     * parameter (it is generated, defaulted or computed).
     */
    static int @Nullable [] positions(CapturePlan plan, TableInfo table) {
        if (plan.rows().isEmpty()) {
            return null;
        }
        List<String> columns = plan.insertColumns().isEmpty()
                ? table.columns().stream().map(Column::name).toList()
                : plan.insertColumns();
        int[] positions = new int[table.key().size()];
        for (int k = 0; k < positions.length; k++) {
            positions[k] = indexOf(columns, table.key().get(k).name());
            if (positions[k] < 0) {
                return null;
            }
            for (List<ValueSource> row : plan.rows()) {
                if (positions[k] >= row.size() || row.get(positions[k]).computed()) {
                    return null;
                }
            }
        }
        return positions;
    }

    /** The key tokens of each row, from the VALUES; null when a parameter it needs is unknown. */
    static @Nullable List<List<String>> fromValues(
            CapturePlan plan, TableInfo table, int[] positions, @Nullable ParameterSource parameters) {
        List<List<String>> keys = new ArrayList<>(plan.rows().size());
        for (List<ValueSource> row : plan.rows()) {
            List<String> key = new ArrayList<>(positions.length);
            for (int position : positions) {
                ValueSource source = row.get(position);
                if (source.parameter() > 0) {
                    if (parameters == null || !parameters.replayable(source.parameter())) {
                        return null;
                    }
                    key.add(canonical(table, positions, position, parameters.value(source.parameter())));
                } else {
                    key.add(canonical(table, positions, position, source.literal()));
                }
            }
            keys.add(key);
        }
        return keys;
    }

    /** The key tokens of each generated-keys row: the key columns by name, or the only column of a one-column key. */
    static @Nullable List<List<String>> fromGeneratedKeys(ResultSet generated, TableInfo table) throws SQLException {
        ResultSetMetaData meta = generated.getMetaData();
        int[] indexes = new int[table.key().size()];
        for (int k = 0; k < indexes.length; k++) {
            indexes[k] = -1;
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                if (meta.getColumnLabel(i).equalsIgnoreCase(table.key().get(k).name())) {
                    indexes[k] = i;
                }
            }
            if (indexes[k] < 0) {
                if (indexes.length == 1 && meta.getColumnCount() == 1) {
                    indexes[k] = 1;
                } else {
                    return null;
                }
            }
        }
        return read(generated, table, indexes);
    }

    /** The key tokens of each row of a result whose first columns are the key columns, in key order. */
    static List<List<String>> fromKeyColumns(ResultSet rows, TableInfo table) throws SQLException {
        int[] indexes = new int[table.key().size()];
        for (int k = 0; k < indexes.length; k++) {
            indexes[k] = k + 1;
        }
        return read(rows, table, indexes);
    }

    private static List<List<String>> read(ResultSet rows, TableInfo table, int[] indexes) throws SQLException {
        List<List<String>> keys = new ArrayList<>();
        while (rows.next()) {
            List<String> key = new ArrayList<>(indexes.length);
            for (int k = 0; k < indexes.length; k++) {
                key.add(ValueCodec.read(rows, indexes[k], table.key().get(k).kind()));
            }
            keys.add(key);
        }
        return keys;
    }

    /**
     * A key value as the database returns it: a number bound as a string is still a number, a UUID written in upper
     * case comes back in lower case (the revert finds rows by these tokens, and checks them for changes since).
     */
    private static String canonical(TableInfo table, int[] positions, int position, @Nullable Object value) {
        String token = ValueCodec.tokenOf(value);
        for (int k = 0; k < positions.length; k++) {
            if (positions[k] == position && token.startsWith("\"")) {
                ValueCodec.Kind kind = table.key().get(k).kind();
                if (kind == ValueCodec.Kind.INTEGER || kind == ValueCodec.Kind.DECIMAL) {
                    return Json.text(token).strip();
                }
                if (kind == ValueCodec.Kind.UUID) {
                    return Json.string(Json.text(token).strip().toLowerCase(Locale.ROOT));
                }
            }
        }
        return token;
    }

    private static int indexOf(List<String> columns, String name) {
        for (int i = 0; i < columns.size(); i++) {
            if (columns.get(i).equalsIgnoreCase(name)) {
                return i;
            }
        }
        return -1;
    }
}
