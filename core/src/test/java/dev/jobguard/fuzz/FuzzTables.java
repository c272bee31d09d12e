package dev.jobguard.fuzz;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.sql.DataSource;

/**
 * The fuzzer's tables and the oracle's view of them, through the raw (unguarded) pool: {@code fz_a} (40 rows, key
 * {@code id}, a nullable column) and {@code fz_b} (20 rows referencing {@code fz_a} ids 1..10, so some deletes of
 * {@code fz_a} fail on the foreign key).
 */
final class FuzzTables {

    static final List<String> TABLES = List.of("fz_a", "fz_b");

    private final DataSource raw;

    FuzzTables(DataSource raw) {
        this.raw = raw;
    }

    void create() throws SQLException {
        try (Connection connection = raw.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("DROP TABLE IF EXISTS fz_b");
            statement.execute("DROP TABLE IF EXISTS fz_a");
            statement.execute(
                    "CREATE TABLE fz_a (id INT PRIMARY KEY, grp INT NOT NULL, v INT NOT NULL," + " note VARCHAR(40))");
            statement.execute("CREATE TABLE fz_b (id INT PRIMARY KEY, a_id INT NOT NULL REFERENCES fz_a (id),"
                    + " v INT NOT NULL)");
        }
    }

    /** Puts back the initial rows. */
    void reset() throws SQLException {
        try (Connection connection = raw.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("DELETE FROM fz_b");
            statement.execute("DELETE FROM fz_a");
            StringBuilder a = new StringBuilder("INSERT INTO fz_a (id, grp, v, note) VALUES ");
            for (int id = 1; id <= 40; id++) {
                a.append(id > 1 ? "," : "")
                        .append('(')
                        .append(id)
                        .append(',')
                        .append(id % 5)
                        .append(',');
                a.append(id * 3 % 17)
                        .append(',')
                        .append(id % 4 == 0 ? "NULL" : "'r" + id + "'")
                        .append(')');
            }
            statement.execute(a.toString());
            StringBuilder b = new StringBuilder("INSERT INTO fz_b (id, a_id, v) VALUES ");
            for (int id = 1; id <= 20; id++) {
                b.append(id > 1 ? "," : "")
                        .append('(')
                        .append(id)
                        .append(',')
                        .append(id % 10 + 1)
                        .append(',');
                b.append(id * 7 % 23).append(')');
            }
            statement.execute(b.toString());
        }
    }

    /** Every row of every table, by table and key. */
    Map<String, Map<Integer, String>> snapshot() throws SQLException {
        Map<String, Map<Integer, String>> tables = new TreeMap<>();
        try (Connection connection = raw.getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : TABLES) {
                Map<Integer, String> rows = new TreeMap<>();
                try (ResultSet result = statement.executeQuery("SELECT * FROM " + table)) {
                    int columns = result.getMetaData().getColumnCount();
                    while (result.next()) {
                        StringBuilder row = new StringBuilder();
                        for (int column = 2; column <= columns; column++) {
                            row.append(result.getString(column)).append('|');
                        }
                        rows.put(result.getInt(1), row.toString());
                    }
                }
                tables.put(table, rows);
            }
        }
        return tables;
    }

    /** Rows inserted, deleted or changed between two snapshots of one table. */
    static long changed(Map<Integer, String> before, Map<Integer, String> after) {
        long changed = 0;
        for (Map.Entry<Integer, String> row : before.entrySet()) {
            if (!row.getValue().equals(after.get(row.getKey()))) {
                changed++;
            }
        }
        for (Integer key : after.keySet()) {
            if (!before.containsKey(key)) {
                changed++;
            }
        }
        return changed;
    }
}
