package dev.jobguard.internal.journal;

import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/** Reads the rows of a {@code SELECT *} of a journaled table into key tokens and JSON images. */
public final class RowReader {

    private final ResultSet rows;
    private final int[] keyIndexes;
    private final Column[] keyColumns;
    private final List<String> names = new ArrayList<>();
    private final List<Integer> indexes = new ArrayList<>();
    private final List<ValueCodec.Kind> kinds = new ArrayList<>();

    /** The journal whose excluded columns the images leave out; null for none left out. */
    private final @Nullable JournalTables journal;

    private final TableInfo table;
    private final int rowColumns;

    /** The evaluated columns last asked for, and which of them the journal keeps: the same for every row. */
    private @Nullable List<String> evaluatedColumns;

    private boolean @Nullable [] evaluatedKept;

    public RowReader(ResultSet rows, TableInfo table, @Nullable JournalTables journal) throws SQLException {
        this(rows, table, journal, rows.getMetaData().getColumnCount());
    }

    /** @param rowColumns how many leading columns of the result are the table's (evaluated values follow) */
    RowReader(ResultSet rows, TableInfo table, @Nullable JournalTables journal, int rowColumns) throws SQLException {
        this.rows = rows;
        this.journal = journal;
        this.table = table;
        this.rowColumns = rowColumns;
        ResultSetMetaData meta = rows.getMetaData();
        keyIndexes = new int[table.key().size()];
        keyColumns = table.key().toArray(new Column[0]);
        for (int i = 1; i <= rowColumns; i++) {
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

    public List<String> key() throws SQLException {
        List<String> key = new ArrayList<>(keyIndexes.length);
        for (int k = 0; k < keyIndexes.length; k++) {
            key.add(ValueCodec.read(rows, keyIndexes[k], keyColumns[k].kind()));
        }
        return key;
    }

    String image() throws SQLException {
        return Json.object(values());
    }

    /**
     * The after-image evaluated by the SELECT: the key, then each column's value from the evaluated columns that
     * follow the row's, read by the type the database gives the expression.
     */
    String evaluatedImage(List<String> key, List<String> columns) throws SQLException {
        Map<String, String> tokens = new LinkedHashMap<>(capacity(keyColumns.length + columns.size()));
        for (int k = 0; k < keyColumns.length; k++) {
            tokens.put(keyColumns[k].name(), key.get(k));
        }
        boolean[] kept = evaluatedKept;
        if (columns != evaluatedColumns || kept == null) {
            kept = new boolean[columns.size()];
            for (int i = 0; i < kept.length; i++) {
                kept[i] = journal == null || !journal.excludes(table.reference(), columns.get(i));
            }
            evaluatedKept = kept;
            evaluatedColumns = columns;
        }
        ResultSetMetaData meta = rows.getMetaData();
        for (int i = 0; i < columns.size(); i++) {
            if (kept[i]) {
                String column = columns.get(i);
                tokens.put(column, evaluated(rowColumns + 1 + i, table.column(column), meta));
            }
        }
        return Json.object(tokens);
    }

    /** An evaluated value, read as its target column's type where the driver converts it, else as its own type. */
    private String evaluated(int index, @Nullable Column target, ResultSetMetaData meta) throws SQLException {
        if (target != null) {
            try {
                return ValueCodec.read(rows, index, target.kind());
            } catch (SQLException | RuntimeException notConvertible) {
                // read it as the database typed the expression
            }
        }
        return ValueCodec.read(
                rows, index, ValueCodec.Kind.of(meta.getColumnType(index), meta.getColumnTypeName(index)));
    }

    public Map<String, String> values() throws SQLException {
        Map<String, String> tokens = new LinkedHashMap<>(capacity(names.size()));
        for (int i = 0; i < names.size(); i++) {
            tokens.put(names.get(i), ValueCodec.read(rows, indexes.get(i), kinds.get(i)));
        }
        return tokens;
    }

    /** A map's initial capacity for {@code entries} entries without a resize. */
    private static int capacity(int entries) {
        return (int) (entries / 0.75f) + 1;
    }
}
