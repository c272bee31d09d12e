package dev.jobguard.it;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * The example incident's tables, made and read through a raw (unguarded) DataSource: {@code invoices} with a
 * fixed, known content, {@code audit_log} as a second table, and {@code jobguard_test_marker} as a table the guard
 * ignores.
 */
final class Invoices {

    static final LocalDate TODAY = LocalDate.of(2026, 11, 25);

    private final DataSource raw;

    Invoices(DataSource raw) {
        this.raw = raw;
    }

    /** Drops and recreates the tables, with {@code count} invoices; every fifth one is PAID, the rest OPEN. */
    void reset(int count) throws SQLException {
        try (Connection connection = raw.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            for (String table : List.of("invoices", "audit_log", "jobguard_test_marker", "scratch")) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
            statement.execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL,"
                    + " amount DECIMAL(12,2) NOT NULL, due_date DATE NOT NULL, status VARCHAR(20) NOT NULL)");
            statement.execute("CREATE TABLE audit_log (id BIGINT PRIMARY KEY, note VARCHAR(200))");
            statement.execute("CREATE TABLE jobguard_test_marker (id BIGINT PRIMARY KEY, note VARCHAR(200))");
            for (int start = 1; start <= count; start += 1000) {
                StringBuilder insert =
                        new StringBuilder("INSERT INTO invoices (id, customer_id, amount, due_date, status) VALUES ");
                for (int id = start; id < start + 1000 && id <= count; id++) {
                    if (id > start) {
                        insert.append(',');
                    }
                    LocalDate due = TODAY.minusDays(400).plusDays(id % 500);
                    insert.append('(').append(id).append(',').append(id % 100).append(',');
                    insert.append(id).append(".25,DATE '").append(due).append("','");
                    insert.append(id % 5 == 0 ? "PAID" : "OPEN").append("')");
                }
                statement.execute(insert.toString());
            }
        }
    }

    /** Every row of a table, as text, in primary key order: equal snapshots mean equal contents. */
    List<String> snapshot(String table) throws SQLException {
        try (Connection connection = raw.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
            int columns = rows.getMetaData().getColumnCount();
            List<String> result = new ArrayList<>();
            while (rows.next()) {
                StringBuilder row = new StringBuilder();
                for (int column = 1; column <= columns; column++) {
                    row.append(rows.getString(column)).append('|');
                }
                result.add(row.toString());
            }
            return result;
        }
    }

    long count(String table, String where) throws SQLException {
        try (Connection connection = raw.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(
                        "SELECT COUNT(*) FROM " + table + (where.isEmpty() ? "" : " WHERE " + where))) {
            rows.next();
            return rows.getLong(1);
        }
    }

    long cancelled() throws SQLException {
        return count("invoices", "status = 'CANCELLED'");
    }

    long open() throws SQLException {
        return count("invoices", "status = 'OPEN'");
    }
}
