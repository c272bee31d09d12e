package dev.jobguard.quartz;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * The databases of the Quartz tests. PostgreSQL comes from {@code JOBGUARD_TEST_POSTGRES_URL} (default
 * jdbc:postgresql://127.0.0.1:5432/test, user postgres); when it does not answer the tests are skipped on a laptop and
 * fail when {@code CI=true}.
 */
enum TestDatabases {
    H2("H2", null, "org.quartz.impl.jdbcjobstore.StdJDBCDelegate", "tables_h2.sql"),
    POSTGRESQL(
            "PostgreSQL",
            "JOBGUARD_TEST_POSTGRES_URL",
            "org.quartz.impl.jdbcjobstore.PostgreSQLDelegate",
            "tables_postgres.sql");

    private final String displayName;
    private final String urlVariable;
    final String delegate;
    private final String ddl;
    private String h2Url;

    TestDatabases(String displayName, String urlVariable, String delegate, String ddl) {
        this.displayName = displayName;
        this.urlVariable = urlVariable;
        this.delegate = delegate;
        this.ddl = ddl;
    }

    static String unique() {
        return UUID.randomUUID().toString().replace("-", "").substring(0, 10).toLowerCase(Locale.ROOT);
    }

    String url() {
        if (this == H2) {
            if (h2Url == null) {
                h2Url = "jdbc:h2:mem:jgquartz" + unique() + ";DB_CLOSE_DELAY=-1";
            }
            return h2Url;
        }
        return env(urlVariable, "jdbc:postgresql://127.0.0.1:5432/test");
    }

    String user() {
        return this == H2 ? "sa" : env("JOBGUARD_TEST_POSTGRES_USER", "postgres");
    }

    String password() {
        return this == H2 ? "" : env("JOBGUARD_TEST_POSTGRES_PASSWORD", "");
    }

    /** A small pool; skips (or fails on CI) when the server does not answer. */
    HikariDataSource pool(String name, int size) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url());
        config.setUsername(user());
        config.setPassword(password());
        config.setMaximumPoolSize(size);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(5_000);
        config.setInitializationFailTimeout(-1);
        config.setPoolName(name);
        HikariDataSource pool = new HikariDataSource(config);
        try (Connection connection = pool.getConnection()) {
            connection.isValid(5);
        } catch (SQLException unreachable) {
            pool.close();
            String message = displayName + " is not reachable at " + url() + " (" + unreachable.getMessage() + "); set "
                    + urlVariable + " (and _USER/_PASSWORD) to run these tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true, so a missing database fails the build: " + message, unreachable);
            }
            Assumptions.abort("skipped: " + message);
        }
        return pool;
    }

    /** Creates Quartz's tables under the prefix (e.g. QRTZ_JGab12_), from the DDL shipped in the Quartz jar. */
    void createQuartzTables(DataSource dataSource, String prefix) throws SQLException, IOException {
        String script;
        try (InputStream in = org.quartz.Scheduler.class.getResourceAsStream("/org/quartz/impl/jdbcjobstore/" + ddl)) {
            script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        StringBuilder cleaned = new StringBuilder();
        for (String line : script.split("\n")) {
            if (!line.strip().startsWith("--") && !line.strip().startsWith("#")) {
                cleaned.append(line).append('\n');
            }
        }
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            for (String sql : cleaned.toString().split(";")) {
                String trimmed = sql.strip();
                if (trimmed.isEmpty() || trimmed.equalsIgnoreCase("commit")) {
                    continue;
                }
                statement.execute(trimmed.replaceAll("(?i)qrtz_", prefix));
            }
        }
    }

    void dropQuartzTables(DataSource dataSource, String prefix) throws SQLException {
        List<String> tables = new ArrayList<>(List.of(
                "FIRED_TRIGGERS",
                "PAUSED_TRIGGER_GRPS",
                "SCHEDULER_STATE",
                "LOCKS",
                "SIMPLE_TRIGGERS",
                "CRON_TRIGGERS",
                "SIMPROP_TRIGGERS",
                "BLOB_TRIGGERS",
                "TRIGGERS",
                "JOB_DETAILS",
                "CALENDARS"));
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            for (String table : tables) {
                statement.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
        }
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
