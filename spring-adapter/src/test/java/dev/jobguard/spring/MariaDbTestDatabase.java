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
 * The MariaDB server of the integration tests, as in core: {@code JOBGUARD_TEST_MARIADB_URL} (and _USER, _PASSWORD),
 * skipped with a message when unreachable, failed instead when {@code CI=true}.
 */
final class MariaDbTestDatabase {

    private MariaDbTestDatabase() {}

    static String url() {
        return env("JOBGUARD_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
    }

    static String user() {
        return env("JOBGUARD_TEST_MARIADB_USER", "root");
    }

    static String password() {
        return env("JOBGUARD_TEST_MARIADB_PASSWORD", "");
    }

    static Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), user(), password());
    }

    /**
     * Skips (or fails on CI) when the server does not answer; then drops the tables and sequences whose names start
     * with a prefix (compared case-insensitively, as MariaDB's information_schema does).
     */
    static void requireAndDropTables(String... prefixes) {
        try (Connection connection = connect();
                Statement statement = connection.createStatement()) {
            List<String> drops = new ArrayList<>();
            for (String prefix : prefixes) {
                try (ResultSet rows =
                        statement.executeQuery("SELECT table_name, table_type FROM information_schema.tables"
                                + " WHERE table_schema = DATABASE() AND table_name LIKE '" + prefix.replace("_", "\\_")
                                + "%'")) {
                    while (rows.next()) {
                        drops.add(("SEQUENCE".equals(rows.getString(2))
                                        ? "DROP SEQUENCE IF EXISTS `"
                                        : "DROP TABLE IF EXISTS `")
                                + rows.getString(1) + "`");
                    }
                }
            }
            statement.execute("SET FOREIGN_KEY_CHECKS = 0");
            for (String drop : drops) {
                statement.execute(drop);
            }
            statement.execute("SET FOREIGN_KEY_CHECKS = 1");
        } catch (SQLException unreachable) {
            String message = "MariaDB is not reachable at " + url() + " (" + unreachable.getMessage()
                    + "); set JOBGUARD_TEST_MARIADB_URL (and _USER/_PASSWORD) to run these tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true, so a missing database fails the build: " + message, unreachable);
            }
            Assumptions.abort("skipped: " + message);
        }
    }

    static void register(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", MariaDbTestDatabase::url);
        registry.add("spring.datasource.username", MariaDbTestDatabase::user);
        registry.add("spring.datasource.password", MariaDbTestDatabase::password);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
