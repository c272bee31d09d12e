package dev.jobguard.cli;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Nested;

/**
 * The standalone console's browser scenario against PostgreSQL and MariaDB ({@code JOBGUARD_TEST_POSTGRES_URL},
 * {@code JOBGUARD_TEST_MARIADB_URL}, defaults as in core's TestDatabase): the journal, the revert and the stored state
 * as a real server keeps them. The test empties the incident's tables first; an unreachable server skips it on a laptop
 * and fails it when {@code CI=true}.
 */
class StandaloneConsoleOnServerBrowserTest {

    @Nested
    class OnPostgresql extends StandaloneConsoleBrowserTest {
        @Override
        protected DataSource emptyDatabase() {
            jdbcUrl = env("JOBGUARD_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test");
            user = "postgres";
            return emptied(jdbcUrl, user, "JOBGUARD_TEST_POSTGRES_URL", "", " CASCADE");
        }
    }

    @Nested
    class OnMariadb extends StandaloneConsoleBrowserTest {
        @Override
        protected DataSource emptyDatabase() {
            jdbcUrl = env("JOBGUARD_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test");
            user = "root";
            return emptied(jdbcUrl, user, "JOBGUARD_TEST_MARIADB_URL", "SET FOREIGN_KEY_CHECKS = 0", "");
        }
    }

    /** The database at url with the invoices and jobguard's own tables dropped. */
    private static DataSource emptied(String url, String user, String variable, String before, String dropSuffix) {
        DataSource database = new DriverManagerDataSource(url, user, "");
        try (Connection connection = database.getConnection();
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables WHERE"
                    + " table_schema = " + (url.startsWith("jdbc:postgresql") ? "current_schema()" : "DATABASE()")
                    + " AND (LOWER(table_name) = 'invoices' OR LOWER(table_name) LIKE 'jobguard%')")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            if (!before.isEmpty()) {
                statement.execute(before);
            }
            for (String table : tables) {
                statement.execute("DROP TABLE IF EXISTS " + table + dropSuffix);
            }
        } catch (SQLException unreachable) {
            String message = url + " is not reachable (" + unreachable.getMessage() + "): set " + variable
                    + " to a database this test may empty";
            if ("true".equals(System.getenv("CI"))) {
                Assertions.fail(message, unreachable);
            }
            Assumptions.abort(message);
        }
        return database;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
