package dev.jobguard.journal;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Reads the rows of a {@code SELECT *} of a journaled table into key tokens and JSON images. */
final class RowReader {

    private final ResultSet rows;
    private final int[] keyIndexes;
    private final Column[] keyColumns;
    private final List<String> names = new ArrayList<>();
    private final List<Integer> indexes = new ArrayList<>();
    private final List<ValueCodec.Kind> kinds = new ArrayList<>();

    RowReader(ResultSet rows, TableInfo table, ChangeJournal journal) throws SQLException {
        this.rows = rows;
        ResultSetMetaData meta = rows.getMetaData();
        keyIndexes = new int[table.key().size()];
        keyColumns = table.key().toArray(new Column[0]);
        for (int i = 1; i <= meta.getColumnCount(); i++) {
            String name = meta.getColumnLabel(i);
            Column column = table.column(name);
            ValueCodec.Kind kind = column != null
                    ? column.kind()
                    : ValueCodec.Kind.of(meta.getColumnType(i), meta.getColumnTypeName(i));
            for (int k = 0; k < keyColumns.length; k++) {
                if (keyColumns[k].name().equalsIgnoreCase(name)) {
                    keyIndexes[k] = i;
                }
            }
            if (journal == null || !journal.excludes(table.reference(), name)) {
                names.add(column != null ? column.name() : name);
                indexes.add(i);
                kinds.add(kind);
            }
        }
    }

    List<String> key() throws SQLException {
        List<String> key = new ArrayList<>(keyIndexes.length);
        for (int k = 0; k < keyIndexes.length; k++) {
            key.add(ValueCodec.read(rows, keyIndexes[k], keyColumns[k].kind()));
        }
        return key;
    }

    String image() throws SQLException {
        return Json.object(values());
    }

    Map<String, String> values() throws SQLException {
        Map<String, String> tokens = new LinkedHashMap<>();
        for (int i = 0; i < names.size(); i++) {
            tokens.put(names.get(i), ValueCodec.read(rows, indexes.get(i), kinds.get(i)));
        }
        return tokens;
    }
}
