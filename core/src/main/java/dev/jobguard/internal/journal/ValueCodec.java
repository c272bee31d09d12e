package dev.jobguard.internal.journal;

import dev.jobguard.internal.dialect.Dialect;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.OffsetTime;
import java.time.temporal.TemporalAccessor;
import java.util.Base64;
import java.util.Locale;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Reads a column into a journal value token and binds a token back, by the column's type, so that every value keeps
 * its type through the round trip: numbers and decimals (scale kept), text, booleans, dates, times and timestamps with
 * and without zone (as ISO-8601), binary (Base64), UUID, JSON and NULL.
 */
public final class ValueCodec {

    /** How the journal reads and writes one column type. */
    enum Kind {
        BOOLEAN,
        INTEGER,
        /** Single precision: read as a float, so that 0.1 is 0.1 whether the driver sends it as text or binary. */
        REAL,
        FLOAT,
        DECIMAL,
        DATE,
        TIME,
        TIMESTAMP,
        TIMESTAMP_TZ,
        TIME_TZ,
        BINARY,
        UUID,
        JSON,
        TEXT,
        OTHER;

        static Kind of(int jdbcType, @Nullable String typeName) {
            String name = typeName == null ? "" : typeName.toLowerCase(Locale.ROOT);
            if (name.equals("uuid")) {
                return UUID;
            }
            if (name.equals("json") || name.equals("jsonb")) {
                return JSON;
            }
            if (name.equals("timestamptz") || name.contains("timestamp with time zone")) {
                return TIMESTAMP_TZ;
            }
            if (name.equals("timetz") || name.contains("time with time zone")) {
                return TIME_TZ;
            }
            return switch (jdbcType) {
                case Types.BIT, Types.BOOLEAN -> BOOLEAN;
                case Types.TINYINT, Types.SMALLINT, Types.INTEGER, Types.BIGINT -> INTEGER;
                case Types.REAL -> REAL;
                case Types.FLOAT, Types.DOUBLE -> FLOAT;
                case Types.NUMERIC, Types.DECIMAL -> DECIMAL;
                case Types.DATE -> DATE;
                case Types.TIME -> TIME;
                case Types.TIMESTAMP -> TIMESTAMP;
                case Types.TIMESTAMP_WITH_TIMEZONE -> TIMESTAMP_TZ;
                case Types.TIME_WITH_TIMEZONE -> TIME_TZ;
                case Types.BINARY, Types.VARBINARY, Types.LONGVARBINARY, Types.BLOB -> BINARY;
                case Types.CHAR,
                        Types.VARCHAR,
                        Types.LONGVARCHAR,
                        Types.NCHAR,
                        Types.NVARCHAR,
                        Types.LONGNVARCHAR,
                        Types.CLOB,
                        Types.NCLOB -> TEXT;
                default -> OTHER;
            };
        }
    }

    private ValueCodec() {}

    /** An integer other than 0 and 1, as a TINYINT(1) "boolean" of MySQL/MariaDB may hold. */
    private static boolean isOtherNumber(String text) {
        if (text.isEmpty() || text.length() > 4 || text.equals("0") || text.equals("1")) {
            return false;
        }
        for (int i = text.charAt(0) == '-' ? 1 : 0; i < text.length(); i++) {
            if (!Character.isDigit(text.charAt(i))) {
                return false;
            }
        }
        return text.length() > (text.charAt(0) == '-' ? 1 : 0);
    }

    /** The column's value as a token. */
    static String read(ResultSet rows, int index, Kind kind) throws SQLException {
        return switch (kind) {
            case BOOLEAN -> {
                // MySQL/MariaDB's BOOLEAN is TINYINT(1), reported as BOOLEAN but holding -128..127: a number other
                // than 0 and 1 stays a number, or 5 and 1 would both read true
                String text = rows.getString(index);
                if (text == null) {
                    yield "null";
                }
                yield isOtherNumber(text) ? text : Boolean.toString(rows.getBoolean(index));
            }
            case INTEGER -> {
                String value = rows.getString(index);
                yield value == null ? "null" : value;
            }
            case REAL -> {
                float value = rows.getFloat(index);
                yield rows.wasNull()
                        ? "null"
                        : Float.isFinite(value) ? Float.toString(value) : Json.string(Float.toString(value));
            }
            case FLOAT -> {
                double value = rows.getDouble(index);
                yield rows.wasNull()
                        ? "null"
                        : Double.isFinite(value) ? Double.toString(value) : Json.string(Double.toString(value));
            }
            case DECIMAL -> {
                BigDecimal value = rows.getBigDecimal(index);
                yield value == null ? "null" : value.toPlainString();
            }
            case DATE -> temporal(rows.getObject(index, LocalDate.class));
            case TIME -> temporal(rows.getObject(index, LocalTime.class));
            case TIMESTAMP -> temporal(rows.getObject(index, LocalDateTime.class));
            case TIMESTAMP_TZ -> temporal(rows.getObject(index, OffsetDateTime.class));
            case TIME_TZ -> temporal(rows.getObject(index, OffsetTime.class));
            case BINARY -> {
                byte[] value = rows.getBytes(index);
                yield value == null ? "null" : Json.string(Base64.getEncoder().encodeToString(value));
            }
            case UUID -> {
                Object value = rows.getObject(index);
                yield value == null ? "null" : Json.string(value.toString());
            }
            case JSON, TEXT, OTHER -> {
                String value = rows.getString(index);
                yield value == null ? "null" : Json.string(value);
            }
        };
    }

    private static String temporal(TemporalAccessor value) {
        return value == null ? "null" : Json.string(value.toString());
    }

    /** Binds a token read by {@link #read} to a parameter of a statement on the same kind of column. */
    public static void bind(
            PreparedStatement statement, int index, Column column, @Nullable String token, Dialect dialect)
            throws SQLException {
        if (token == null || token.equals("null")) {
            statement.setNull(index, dialect == Dialect.POSTGRESQL ? Types.OTHER : column.jdbcType());
            return;
        }
        String text = Json.text(token);
        switch (column.kind()) {
            case BOOLEAN -> {
                if (isOtherNumber(text)) {
                    statement.setLong(index, Long.parseLong(text));
                } else {
                    statement.setBoolean(index, Boolean.parseBoolean(text));
                }
            }
            case INTEGER -> {
                // a long, not a decimal: PostgreSQL would compare a BIGINT key as NUMERIC and skip its index
                try {
                    statement.setLong(index, Long.parseLong(text));
                } catch (NumberFormatException beyondLong) {
                    statement.setBigDecimal(index, new BigDecimal(text));
                }
            }
            case REAL -> statement.setFloat(index, Float.parseFloat(text));
            case FLOAT -> statement.setDouble(index, Double.parseDouble(text));
            case DECIMAL -> statement.setBigDecimal(index, new BigDecimal(text));
            case DATE -> statement.setObject(index, LocalDate.parse(text));
            case TIME -> statement.setObject(index, LocalTime.parse(text));
            case TIMESTAMP -> statement.setObject(index, LocalDateTime.parse(text));
            case TIMESTAMP_TZ -> statement.setObject(index, OffsetDateTime.parse(text));
            case TIME_TZ -> statement.setObject(index, OffsetTime.parse(text));
            case BINARY -> statement.setBytes(index, Base64.getDecoder().decode(text));
            case UUID -> {
                if (dialect == Dialect.MYSQL) {
                    statement.setString(index, text);
                } else {
                    statement.setObject(index, java.util.UUID.fromString(text));
                }
            }
            case JSON -> {
                switch (dialect) {
                    case POSTGRESQL -> statement.setObject(index, text, Types.OTHER);
                    case H2 -> statement.setBytes(index, text.getBytes(StandardCharsets.UTF_8));
                    default -> statement.setString(index, text);
                }
            }
            case TEXT -> {
                if (dialect == Dialect.POSTGRESQL && !column.plainPostgresText()) {
                    statement.setObject(index, text, Types.OTHER); // enums, domains: cast by the server
                } else {
                    statement.setString(index, text);
                }
            }
            case OTHER -> {
                if (dialect == Dialect.POSTGRESQL) {
                    statement.setObject(index, text, Types.OTHER);
                } else {
                    statement.setString(index, text);
                }
            }
        }
    }

    /** A Java value (a parameter the job bound, a literal of its SQL) as a token, for keys known before a read. */
    static String tokenOf(@Nullable Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof BigDecimal decimal) {
            return decimal.toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof byte[] bytes) {
            return Json.string(Base64.getEncoder().encodeToString(bytes));
        }
        if (value instanceof java.sql.Timestamp timestamp) {
            return Json.string(timestamp.toLocalDateTime().toString());
        }
        if (value instanceof java.sql.Date date) {
            return Json.string(date.toLocalDate().toString());
        }
        if (value instanceof java.sql.Time time) {
            return Json.string(time.toLocalTime().toString());
        }
        if (value instanceof UUID uuid) {
            return Json.string(uuid.toString());
        }
        return Json.string(value.toString());
    }
}
