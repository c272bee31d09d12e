package dev.jobguard.internal.journal;

import dev.jobguard.internal.dialect.Dialect;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The SQL type an expression is cast to so that it holds what a column stores ({@link Column#storedAs}), from the
 * database's catalog: the capture evaluates an UPDATE's SET expressions in that type, so that the journal's after-image
 * is the stored value (rounded to the column's scale, cut to its length, padded, in its time zone) and not the value
 * the job sent. Only casts known to give what an assignment stores are used; for any other column the after-image is
 * read back from the row after the write.
 *
 * <ul>
 *   <li>PostgreSQL: the column's own type ({@code format_type}): an explicit cast and an assignment convert alike
 *       (where they differ, an over-long value, the assignment fails and there is nothing to journal);
 *   <li>H2: the standard types with their length, precision and scale;
 *   <li>MariaDB/MySQL: the types {@code CAST} knows ({@code DECIMAL(p,s)}, {@code DATETIME(n)} for {@code DATETIME} and
 *       {@code TIMESTAMP}, {@code TIME(n)}, {@code DATE}, {@code CHAR(n)} for character columns, {@code SIGNED} and
 *       {@code UNSIGNED} for integers, {@code DOUBLE}, {@code FLOAT}); text and variable-length binary columns store
 *       what they are given.
 * </ul>
 */
final class StoredTypes {

    /** The catalog columns each query of {@link ColumnTraits} selects after its first four, in this order. */
    static final String H2_COLUMNS =
            "DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, NULL";

    static final String MYSQL_COLUMNS =
            "DATA_TYPE, CHARACTER_MAXIMUM_LENGTH, NUMERIC_PRECISION, NUMERIC_SCALE, DATETIME_PRECISION, COLUMN_TYPE";

    static final String POSTGRES_COLUMNS = "format_type(atttypid, atttypmod), NULL, NULL, NULL, NULL, NULL";

    private static final Set<String> H2_PLAIN = Set.of(
            "BOOLEAN",
            "TINYINT",
            "SMALLINT",
            "INTEGER",
            "BIGINT",
            "REAL",
            "DOUBLE PRECISION",
            "DATE",
            "UUID",
            "JSON",
            "CHARACTER LARGE OBJECT",
            "BINARY LARGE OBJECT");
    private static final Set<String> H2_LENGTH =
            Set.of("CHARACTER", "CHARACTER VARYING", "VARCHAR_IGNORECASE", "BINARY", "BINARY VARYING");
    private static final Set<String> MYSQL_INTEGERS = Set.of("tinyint", "smallint", "mediumint", "int", "bigint");
    private static final Set<String> MYSQL_STORED_AS_GIVEN = Set.of(
            "tinytext",
            "text",
            "mediumtext",
            "longtext",
            "json",
            "varbinary",
            "tinyblob",
            "blob",
            "mediumblob",
            "longblob");

    private StoredTypes() {}

    /**
     * The cast type of the catalog row's column ("" when it stores what it is given, null when unknown).
     *
     * @param first the index of the first of the six columns of {@link #H2_COLUMNS}, {@link #MYSQL_COLUMNS} or {@link
     *     #POSTGRES_COLUMNS}
     */
    static @Nullable String of(Dialect dialect, ResultSet row, int first) throws SQLException {
        String type = row.getString(first);
        if (type == null) {
            return null;
        }
        return switch (dialect) {
            case POSTGRESQL -> type;
            case H2 -> h2(Declared.of(type.toUpperCase(Locale.ROOT), row, first));
            case MYSQL -> mysql(Declared.of(type.toLowerCase(Locale.ROOT), row, first), row.getString(first + 5));
            case OTHER -> null;
        };
    }

    private static @Nullable Long number(ResultSet row, int index) throws SQLException {
        long value = row.getLong(index);
        return row.wasNull() ? null : value;
    }

    /**
     * A column's type as the catalog declares it: its name and, where they apply, its length, precision, scale and
     * fractional seconds (null when the catalog has none).
     */
    private record Declared(
            String type,
            @Nullable Long length,
            @Nullable Long precision,
            @Nullable Long scale,
            @Nullable Long fraction) {

        /** The declaration in the catalog row's four columns after {@code first}, of the type so named. */
        static Declared of(String type, ResultSet row, int first) throws SQLException {
            return new Declared(
                    type,
                    number(row, first + 1),
                    number(row, first + 2),
                    number(row, first + 3),
                    number(row, first + 4));
        }
    }

    private static @Nullable String h2(Declared declared) {
        String type = declared.type();
        Long length = declared.length();
        Long precision = declared.precision();
        Long scale = declared.scale();
        Long fraction = declared.fraction();
        if (H2_PLAIN.contains(type)) {
            return type;
        }
        if (H2_LENGTH.contains(type)) {
            return length == null ? null : type + "(" + length + ")";
        }
        if (type.equals("NUMERIC") || type.equals("DECIMAL")) {
            return precision == null || scale == null ? null : "NUMERIC(" + precision + "," + scale + ")";
        }
        if (type.equals("TIME") || type.equals("TIMESTAMP")) {
            return fraction == null ? null : type + "(" + fraction + ")";
        }
        if (type.equals("TIME WITH TIME ZONE") || type.equals("TIMESTAMP WITH TIME ZONE")) {
            return fraction == null ? null : type.replace(" WITH", "(" + fraction + ") WITH");
        }
        return null;
    }

    /** @param columnType MySQL's full column type ({@code COLUMN_TYPE}), which tells whether it is unsigned */
    private static @Nullable String mysql(Declared declared, @Nullable String columnType) {
        String type = declared.type();
        Long length = declared.length();
        Long precision = declared.precision();
        Long scale = declared.scale();
        Long fraction = declared.fraction();
        boolean unsigned =
                columnType != null && columnType.toLowerCase(Locale.ROOT).contains("unsigned");
        if (MYSQL_STORED_AS_GIVEN.contains(type)) {
            return "";
        }
        if (MYSQL_INTEGERS.contains(type)) {
            return unsigned ? "UNSIGNED" : "SIGNED";
        }
        return switch (type) {
            case "decimal", "numeric" ->
                precision == null || scale == null || unsigned ? null : "DECIMAL(" + precision + "," + scale + ")";
            case "double" -> unsigned ? null : "DOUBLE";
            case "float" -> unsigned ? null : "FLOAT";
            case "date" -> "DATE";
            case "datetime", "timestamp" -> "DATETIME(" + (fraction == null ? 0 : fraction) + ")";
            case "time" -> "TIME(" + (fraction == null ? 0 : fraction) + ")";
            case "char", "varchar" -> length == null ? null : "CHAR(" + length + ")";
            default -> null;
        };
    }
}
