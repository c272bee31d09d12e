package dev.jobguard.benchmarks;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.Statement;
import java.sql.Types;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.sql.DataSource;

/**
 * A JDBC "driver" that does nothing: each UPDATE reports one row at once. Behind the guard it leaves only the guard's
 * own code on the path of a write. It tells the guard what H2 would about the one table {@code INVOICES (ID INTEGER
 * PRIMARY KEY, AMOUNT BIGINT)}, so that the guard takes the same path as on H2 (an update by primary key is not
 * counted first).
 */
final class NoopDriver {

    private NoopDriver() {}

    /** A DataSource whose one connection answers every call at once. */
    static DataSource dataSource() {
        ResultSetMetaData columns = proxy(ResultSetMetaData.class, (method, args) -> switch (method.getName()) {
            case "getColumnCount" -> 2;
            case "getColumnName", "getColumnLabel" -> (Integer) args[0] == 1 ? "ID" : "AMOUNT";
            case "getColumnType" -> (Integer) args[0] == 1 ? Types.INTEGER : Types.BIGINT;
            case "getColumnTypeName" -> (Integer) args[0] == 1 ? "INTEGER" : "BIGINT";
            case "getTableName" -> "INVOICES";
            default -> nothing(method);
        });
        DatabaseMetaData metaData = proxy(DatabaseMetaData.class, (method, args) -> switch (method.getName()) {
            case "getDatabaseProductName" -> "H2";
            case "getDatabaseProductVersion" -> "2.3.232";
            case "getDatabaseMajorVersion" -> 2;
            case "getIdentifierQuoteString" -> "\"";
            case "getSearchStringEscape" -> "\\";
            case "storesUpperCaseIdentifiers" -> true;
            case "getPrimaryKeys" ->
                rows(columns, List.of(Map.of("COLUMN_NAME", "ID", "KEY_SEQ", (short) 1, "TABLE_NAME", "INVOICES")));
            case "getColumns" ->
                rows(
                        columns,
                        List.of(
                                Map.of("COLUMN_NAME", "ID", "DATA_TYPE", Types.INTEGER, "TYPE_NAME", "INTEGER"),
                                Map.of("COLUMN_NAME", "AMOUNT", "DATA_TYPE", Types.BIGINT, "TYPE_NAME", "BIGINT")));
            case "getTables" -> rows(columns, List.of(Map.of("TABLE_NAME", "INVOICES", "TABLE_TYPE", "TABLE")));
            case "getIndexInfo", "getImportedKeys", "getExportedKeys" -> rows(columns, List.of());
            default -> nothing(method);
        });
        ResultSet empty = rows(columns, List.of());
        Statement statement = proxy(Statement.class, (method, args) -> switch (method.getName()) {
            case "executeQuery", "getResultSet" -> empty;
            default -> nothing(method);
        });
        Integer oneRow = 1;
        PreparedStatement prepared = proxy(PreparedStatement.class, (method, args) -> switch (method.getName()) {
            case "executeUpdate", "getUpdateCount" -> oneRow;
            case "executeLargeUpdate" -> 1L;
            case "executeQuery", "getResultSet" -> empty;
            default -> nothing(method);
        });
        boolean[] autoCommit = {true};
        Connection connection = proxy(Connection.class, (method, args) -> switch (method.getName()) {
            case "prepareStatement" -> prepared;
            case "createStatement" -> statement;
            case "getMetaData" -> metaData;
            case "getAutoCommit" -> autoCommit[0];
            case "setAutoCommit" -> {
                autoCommit[0] = (Boolean) args[0];
                yield null;
            }
            case "isValid" -> true;
            case "getTransactionIsolation" -> Connection.TRANSACTION_READ_COMMITTED;
            default -> nothing(method);
        });
        return proxy(DataSource.class, (method, args) -> switch (method.getName()) {
            case "getConnection" -> connection;
            default -> nothing(method);
        });
    }

    /** Rows of a metadata result, by column label. */
    private static ResultSet rows(ResultSetMetaData columns, List<Map<String, Object>> rows) {
        int[] at = {-1};
        return proxy(ResultSet.class, (method, args) -> switch (method.getName()) {
            case "next" -> ++at[0] < rows.size();
            case "getMetaData" -> columns;
            case "getString", "getObject", "getInt", "getShort", "getLong" -> {
                Object value =
                        args[0] instanceof String label ? rows.get(at[0]).get(label.toUpperCase(Locale.ROOT)) : null;
                Class<?> type = method.getReturnType();
                if (type == int.class) {
                    yield value == null ? 0 : ((Number) value).intValue();
                }
                if (type == short.class) {
                    yield value == null ? (short) 0 : ((Number) value).shortValue();
                }
                if (type == long.class) {
                    yield value == null ? 0L : ((Number) value).longValue();
                }
                yield value == null || type != String.class ? value : value.toString();
            }
            default -> nothing(method);
        });
    }

    /** What a call the driver ignores returns: false, 0 or null. */
    private static Object nothing(Method method) {
        Class<?> type = method.getReturnType();
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class) {
            return 0;
        }
        if (type == long.class) {
            return 0L;
        }
        return null;
    }

    @FunctionalInterface
    private interface Answer {
        Object answer(Method method, Object[] args) throws Exception;
    }

    private static <T> T proxy(Class<T> type, Answer answer) {
        return type.cast(Proxy.newProxyInstance(
                NoopDriver.class.getClassLoader(),
                new Class<?>[] {type},
                (self, method, args) -> answer.answer(method, args)));
    }
}
