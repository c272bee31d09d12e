package dev.jobguard.spring;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The PostgreSQL server of the integration tests, as in core: {@code JOBGUARD_TEST_POSTGRES_URL} (and _USER,
 * _PASSWORD), skipped with a message when unreachable, failed instead when {@code CI=true}.
 */
final class PostgresTestDatabase {

    private PostgresTestDatabase() {}

    static String url() {
        return env("JOBGUARD_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
    }

    static String user() {
        return env("JOBGUARD_TEST_POSTGRES_USER", "postgres");
    }

    static String password() {
        return env("JOBGUARD_TEST_POSTGRES_PASSWORD", "");
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    /**
     * Skips (or fails on CI) when the server does not answer; then drops the tables, and the sequences, whose names
     * start with a prefix.
     */
    static void requireAndDropTables(String... prefixes) {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            for (String prefix : prefixes) {
                try (ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = current_schema() AND table_name LIKE '" + prefix + "%'")) {
                    while (rows.next()) {
                        tables.add(rows.getString(1));
                    }
                }
            }
            for (String table : tables) {
                statement.execute("DROP TABLE IF EXISTS " + table + " CASCADE");
            }
            List<String> sequences = new ArrayList<>();
            for (String prefix : prefixes) {
                try (ResultSet rows = statement.executeQuery("SELECT sequence_name FROM information_schema.sequences"
                        + " WHERE sequence_schema = current_schema() AND sequence_name LIKE '" + prefix + "%'")) {
                    while (rows.next()) {
                        sequences.add(rows.getString(1));
                    }
                }
            }
            for (String sequence : sequences) {
                statement.execute("DROP SEQUENCE IF EXISTS " + sequence + " CASCADE");
            }
        } catch (SQLException unreachable) {
            String message = "PostgreSQL is not reachable at " + url() + " (" + unreachable.getMessage()
                    + "); set JOBGUARD_TEST_POSTGRES_URL (and _USER/_PASSWORD) to run these tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true, so a missing database fails the build: " + message, unreachable);
            }
            Assumptions.abort("skipped: " + message);
        }
    }

    static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", PostgresTestDatabase::url);
        registry.add("spring.datasource.username", PostgresTestDatabase::user);
        registry.add("spring.datasource.password", PostgresTestDatabase::password);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
