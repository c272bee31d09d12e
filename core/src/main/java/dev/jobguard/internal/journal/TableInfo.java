package dev.jobguard.internal.journal;

import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.schema.Identifiers;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A journaled table: its columns in order with their types, and its primary key, read from the database's metadata.
 *
 * @param reference the table as the job's SQL names it (schema and quotes kept)
 * @param key the primary key's columns in key order; empty when the table has none
 * @param identityAlways a column is {@code GENERATED ALWAYS AS IDENTITY}: re-inserting a row with its own key needs
 *     {@code OVERRIDING SYSTEM VALUE}
 * @param identity schema and table as the catalog names them: the same for every reference to the table
 *     ({@code t}, {@code public.t}, {@code "T"})
 */
public record TableInfo(
        String reference, List<Column> columns, List<Column> key, boolean identityAlways, String identity) {

    TableInfo(String reference, List<Column> columns, List<Column> key) {
        this(reference, columns, key, false, reference);
    }

    /** Identity: one instance per table and DataSource, used as a map key on every journaled write. */
    @Override
    public boolean equals(Object other) {
        return this == other;
    }

    @Override
    public int hashCode() {
        return System.identityHashCode(this);
    }

    public boolean hasKey() {
        return !key.isEmpty();
    }

    /** The column an UPDATE's plan was checked to set ({@link PlanColumns#updateColumns}). */
    Column knownColumn(String name) {
        Column column = column(name);
        if (column == null) {
            throw new IllegalStateException("jobguard: table " + reference() + " has no column " + name);
        }
        return column;
    }

    @Nullable
    public Column column(String name) {
        for (Column column : columns) {
            if (column.name().equalsIgnoreCase(name)) {
                return column;
            }
        }
        return null;
    }

    /**
     * Reads the table's columns ({@code SELECT * ... WHERE 1=0}), primary key (DatabaseMetaData) and the columns the
     * database writes by itself ({@link ColumnTraits}).
     */
    public static TableInfo read(Connection connection, String reference) throws SQLException {
        List<Column> columns = new ArrayList<>();
        String tableName;
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM " + reference + " WHERE 1=0")) {
            ResultSetMetaData meta = rows.getMetaData();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(Column.of(meta.getColumnName(i), meta.getColumnType(i), meta.getColumnTypeName(i)));
            }
            tableName = meta.getColumnCount() > 0 ? meta.getTableName(1) : "";
        }
        ColumnTraits traits = ColumnTraits.read(
                connection, reference, splitReference(reference, connection.getMetaData()), tableName);
        List<Column> described = new ArrayList<>(columns.size());
        for (Column column : columns) {
            described.add(column.with(
                    traits.generated(column.name()),
                    traits.autoUpdated(column.name()),
                    traits.storedAs(column.name())));
        }
        List<Column> key = primaryKey(connection, reference, tableName, described);
        String[] parts = splitReference(reference, connection.getMetaData());
        String schema = parts[0] != null
                ? parts[0]
                : Dialect.of(connection) == Dialect.MYSQL
                        ? connection.getCatalog()
                        : Identifiers.currentSchema(connection);
        String identity = schema + '.' + (tableName != null && !tableName.isBlank() ? tableName : parts[1]);
        return new TableInfo(reference, List.copyOf(described), List.copyOf(key), traits.identityAlways(), identity);
    }

    private static List<Column> primaryKey(
            Connection connection, String reference, String reportedName, List<Column> columns) throws SQLException {
        DatabaseMetaData meta = connection.getMetaData();
        String[] parts = splitReference(reference, meta);
        String schema = parts[0] != null ? parts[0] : Identifiers.currentSchema(connection);
        String name = reportedName != null && !reportedName.isBlank() ? reportedName : parts[1];
        Map<Integer, String> byPosition = new TreeMap<>();
        for (String candidate : new String[] {name, parts[1]}) {
            String catalog = connection.getCatalog();
            boolean mysql = Dialect.of(connection) == Dialect.MYSQL;
            try (ResultSet keys = mysql
                    ? meta.getPrimaryKeys(parts[0] != null ? parts[0] : catalog, null, candidate)
                    : meta.getPrimaryKeys(catalog, schema, candidate)) {
                while (keys.next()) {
                    byPosition.put(keys.getInt("KEY_SEQ"), keys.getString("COLUMN_NAME"));
                }
            }
            if (!byPosition.isEmpty()) {
                break;
            }
        }
        Map<String, Column> byName = new LinkedHashMap<>();
        for (Column column : columns) {
            byName.put(column.name().toLowerCase(Locale.ROOT), column);
        }
        List<Column> key = new ArrayList<>();
        for (String column : byPosition.values()) {
            Column found = byName.get(column.toLowerCase(Locale.ROOT));
            if (found == null) {
                return List.of();
            }
            key.add(found);
        }
        return key;
    }

    /**
     * {schema or null, table} as the catalog names them: quoted parts unquoted with their case kept, unquoted parts in
     * the case the database stores them.
     */
    static String[] splitReference(String reference, DatabaseMetaData meta) throws SQLException {
        List<String> parts = new ArrayList<>();
        StringBuilder part = new StringBuilder();
        boolean quoted = false;
        char quote = 0;
        for (int i = 0; i < reference.length(); i++) {
            char c = reference.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    part.append(c);
                }
            } else if (c == '"' || c == '`' || c == '[') {
                quote = c == '[' ? ']' : c;
                quoted = true;
            } else if (c == '.') {
                parts.add(quoted ? part.toString() : Identifiers.identifierCase(meta, part.toString()));
                part.setLength(0);
                quoted = false;
            } else {
                part.append(c);
            }
        }
        parts.add(quoted ? part.toString() : Identifiers.identifierCase(meta, part.toString()));
        String table = parts.get(parts.size() - 1);
        String schema = parts.size() >= 2 ? parts.get(parts.size() - 2) : null;
        return new String[] {schema, table};
    }
}
