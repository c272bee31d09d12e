package dev.jobguard.cli;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A database server the CLI contract runs on, from {@code <VARIABLE>_URL}, {@code _USER} and {@code _PASSWORD}:
 * skipped when it does not answer, failed when {@code CI=true}. Each test class keeps its tables under a prefix of its
 * own, dropped afterwards.
 */
record ServerDatabase(String name, String variable, String url, String user, String password) {

    static ServerDatabase fromEnvironment(String name, String variable, String defaultUrl, String defaultUser) {
        return new ServerDatabase(
                name,
                variable,
                env(variable + "_URL", defaultUrl),
                env(variable + "_USER", defaultUser),
                env(variable + "_PASSWORD", ""));
    }

    static String randomPrefix() {
        return "jgcli_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + "_";
    }

    void requireReachable() {
        try (Connection connection = dataSource().getConnection()) {
            connection.isValid(5);
        } catch (SQLException unreachable) {
            String message = name + " is not reachable at " + url + " (" + unreachable.getMessage() + "); set "
                    + variable + "_URL (and _USER/_PASSWORD) to run these tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true, so a missing database fails the build: " + message, unreachable);
            }
            Assumptions.abort("skipped: " + message);
        }
    }

    void dropTables(String prefix) {
        try (Connection connection = dataSource().getConnection();
                Statement drop = connection.createStatement()) {
            for (String table : List.of("run_table", "run_statement", "run", "job", "action", "change", "revert")) {
                drop.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
        } catch (SQLException unreachable) {
            // nothing was created
        }
    }

    DataSource dataSource() {
        return new DriverManagerDataSource(url, user, password);
    }

    /** The CLI's connection options for this database and a table prefix. */
    List<String> options(String prefix) {
        return List.of("--jdbc-url", url, "--user", user, "--password", password, "--table-prefix", prefix);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
