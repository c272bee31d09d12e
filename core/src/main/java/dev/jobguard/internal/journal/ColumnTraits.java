package dev.jobguard.internal.journal;

import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.schema.Identifiers;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the database writes into a table's columns by itself, from its catalog: computed columns, columns set on every
 * UPDATE, an identity that refuses explicit values (JDBC's metadata does not tell the last two), and the type that
 * makes an expression the value a column stores ({@link StoredTypes}).
 */
final class ColumnTraits {

    private static final Logger log = LoggerFactory.getLogger(ColumnTraits.class);
    private static final ColumnTraits NONE = new ColumnTraits(Set.of(), Set.of(), false, Map.of());

    private final Set<String> generated;
    private final Set<String> autoUpdated;
    private final boolean identityAlways;
    private final Map<String, String> storedAs;

    private ColumnTraits(
            Set<String> generated, Set<String> autoUpdated, boolean identityAlways, Map<String, String> storedAs) {
        this.generated = generated;
        this.autoUpdated = autoUpdated;
        this.identityAlways = identityAlways;
        this.storedAs = storedAs;
    }

    /** The column's {@link Column#storedAs} type, or null when unknown. */
    @Nullable
    String storedAs(String column) {
        return storedAs.get(column.toLowerCase(Locale.ROOT));
    }

    boolean generated(String column) {
        return generated.contains(column.toLowerCase(Locale.ROOT));
    }

    boolean autoUpdated(String column) {
        return autoUpdated.contains(column.toLowerCase(Locale.ROOT));
    }

    boolean identityAlways() {
        return identityAlways;
    }

    /**
     * @param reference the table as the job's SQL names it
     * @param parts {schema or null, table}, as the catalog names them ({@link TableInfo#splitReference})
     * @param reportedName the table's name as the driver reported it for {@code SELECT *}, or empty
     */
    static ColumnTraits read(Connection connection, String reference, String[] parts, String reportedName) {
        try {
            Dialect dialect = Dialect.of(connection);
            String name = reportedName != null && !reportedName.isBlank() ? reportedName : parts[1];
            return switch (dialect) {
                case POSTGRESQL -> {
                    // it runs in the job's transaction: a column the server lacks would abort it
                    int version = connection.getMetaData().getDatabaseMajorVersion();
                    yield query(
                            connection,
                            dialect,
                            "SELECT attname, " + (version >= 12 ? "attgenerated <> ''" : "false") + ", false, "
                                    + (version >= 10 ? "attidentity = 'a'" : "false") + ", "
                                    + StoredTypes.POSTGRES_COLUMNS + " FROM pg_attribute"
                                    + " WHERE attrelid = to_regclass(?) AND attnum > 0 AND NOT attisdropped",
                            reference);
                }
                case H2 ->
                    query(
                            connection,
                            dialect,
                            "SELECT COLUMN_NAME, IS_GENERATED = 'ALWAYS', COLUMN_ON_UPDATE IS NOT NULL,"
                                    + " IDENTITY_GENERATION = 'ALWAYS', " + StoredTypes.H2_COLUMNS
                                    + " FROM INFORMATION_SCHEMA.COLUMNS"
                                    + " WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
                            parts[0] != null ? parts[0] : Identifiers.currentSchema(connection),
                            name);
                case MYSQL ->
                    // EXTRA: 'VIRTUAL GENERATED', 'STORED GENERATED' (MySQL), 'PERSISTENT GENERATED', 'on update ...'
                    query(
                            connection,
                            dialect,
                            "SELECT COLUMN_NAME, EXTRA LIKE '%VIRTUAL GENERATED%' OR EXTRA LIKE '%STORED GENERATED%'"
                                    + " OR EXTRA LIKE '%PERSISTENT GENERATED%', LOWER(EXTRA) LIKE '%on update%',"
                                    + " false, " + StoredTypes.MYSQL_COLUMNS
                                    + " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?",
                            parts[0] != null ? parts[0] : connection.getCatalog(),
                            name);
                case OTHER -> NONE;
            };
        } catch (SQLException unreadable) {
            log.warn(
                    "jobguard: cannot read which columns of {} the database computes or sets on update ({}); a revert"
                            + " writes every column it journaled",
                    reference,
                    unreadable.getMessage());
            return NONE;
        }
    }

    private static ColumnTraits query(Connection connection, Dialect dialect, String sql, @Nullable String... arguments)
            throws SQLException {
        Set<String> generated = new HashSet<>();
        Map<String, String> storedAs = new HashMap<>();
        Set<String> autoUpdated = new HashSet<>();
        boolean identityAlways = false;
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (int i = 0; i < arguments.length; i++) {
                select.setString(i + 1, arguments[i]);
            }
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    String column = rows.getString(1).toLowerCase(Locale.ROOT);
                    if (rows.getBoolean(2)) {
                        generated.add(column);
                    }
                    if (rows.getBoolean(3)) {
                        autoUpdated.add(column);
                    }
                    identityAlways |= rows.getBoolean(4);
                    String cast = StoredTypes.of(dialect, rows, 5);
                    if (cast != null) {
                        storedAs.put(column, cast);
                    }
                }
            }
        }
        return new ColumnTraits(Set.copyOf(generated), Set.copyOf(autoUpdated), identityAlways, storedAs);
    }
}
