package dev.jobguard.cli;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/**
 * The contract on MariaDB ({@code JOBGUARD_TEST_MARIADB_URL}, {@code _USER}, {@code _PASSWORD}); skipped when
 * the server does not answer, failed when {@code CI=true}. Its tables have a prefix of their own, dropped afterwards.
 */
class MariaDbCliTest extends CliContractTest {

    private static final String URL = env("JOBGUARD_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
    private static final String USER = env("JOBGUARD_TEST_MARIADB_USER", "root");
    private static final String PASSWORD = env("JOBGUARD_TEST_MARIADB_PASSWORD", "");
    private static final String PREFIX =
            "jgcli_" + UUID.randomUUID().toString().substring(0, 8).toLowerCase(Locale.ROOT) + "_";

    @BeforeAll
    static void reachable() {
        try (Connection connection = source().getConnection()) {
            connection.isValid(5);
        } catch (SQLException unreachable) {
            String message = "MariaDB is not reachable at " + URL + " (" + unreachable.getMessage()
                    + "); set JOBGUARD_TEST_MARIADB_URL (and _USER/_PASSWORD) to run these tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true, so a missing database fails the build: " + message, unreachable);
            }
            Assumptions.abort("skipped: " + message);
        }
    }

    @AfterAll
    static void dropTables() throws SQLException {
        try (Connection connection = source().getConnection();
                Statement drop = connection.createStatement()) {
            for (String table : List.of("run_table", "run", "job", "change", "revert")) {
                drop.execute("DROP TABLE IF EXISTS " + PREFIX + table);
            }
        } catch (SQLException unreachable) {
            // nothing was created
        }
    }

    private static DataSource source() {
        return new DriverManagerDataSource(URL, USER, PASSWORD);
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    @Override
    DataSource dataSource() {
        return source();
    }

    @Override
    List<String> connection() {
        return List.of("--jdbc-url", URL, "--user", USER, "--password", PASSWORD, "--table-prefix", PREFIX);
    }

    @Override
    String prefix() {
        return PREFIX;
    }
}
