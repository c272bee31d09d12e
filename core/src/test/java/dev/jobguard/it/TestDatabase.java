package dev.jobguard.it;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * A real database for the integration suite. URLs come from environment variables with the defaults of the
 * project's machines. An unreachable server skips its tests on a laptop and fails them when {@code CI=true}.
 */
public enum TestDatabase {
    H2("H2", "JOBGUARD_TEST_H2_URL", "jdbc:h2:mem:jobguard;DB_CLOSE_DELAY=-1", "", "sa", "", false, false),
    POSTGRESQL(
            "PostgreSQL",
            "JOBGUARD_TEST_POSTGRES_URL",
            "jdbc:postgresql://127.0.0.1:5432/test",
            "",
            "postgres",
            "",
            true,
            true),
    MARIADB(
            "MariaDB",
            "JOBGUARD_TEST_MARIADB_URL",
            "jdbc:mariadb://127.0.0.1:3306/test",
            "allowMultiQueries=true",
            "root",
            "",
            true,
            true);

    private final String displayName;
    private final String urlVariable;
    private final String defaultUrl;
    private final String requiredOptions;
    private final String defaultUser;
    private final String defaultPassword;
    private final boolean multiStatements;
    private final boolean returning;

    TestDatabase(
            String displayName,
            String urlVariable,
            String defaultUrl,
            String requiredOptions,
            String defaultUser,
            String defaultPassword,
            boolean multiStatements,
            boolean returning) {
        this.displayName = displayName;
        this.urlVariable = urlVariable;
        this.defaultUrl = defaultUrl;
        this.requiredOptions = requiredOptions;
        this.defaultUser = defaultUser;
        this.defaultPassword = defaultPassword;
        this.multiStatements = multiStatements;
        this.returning = returning;
    }

    public String displayName() {
        return displayName;
    }

    public String url() {
        return url(Map.of());
    }

    /** The URL with extra driver options appended (e.g. {@code reWriteBatchedInserts=true}). */
    public String url(Map<String, String> options) {
        String base = env(urlVariable, defaultUrl);
        StringBuilder url = new StringBuilder(base);
        char separator = this == H2 ? ';' : base.contains("?") ? '&' : '?';
        if (!requiredOptions.isEmpty()) {
            url.append(separator).append(requiredOptions.replace('&', separator));
            separator = this == H2 ? ';' : '&';
        }
        for (Map.Entry<String, String> option : options.entrySet()) {
            url.append(separator).append(option.getKey()).append('=').append(option.getValue());
            separator = this == H2 ? ';' : '&';
        }
        return url.toString();
    }

    public String user() {
        return env(urlVariable.replace("_URL", "_USER"), defaultUser);
    }

    public String password() {
        return env(urlVariable.replace("_URL", "_PASSWORD"), defaultPassword);
    }

    /**
     * Whether the driver reports a result for every statement of a multi-statement string (PostgreSQL; MariaDB with
     * allowMultiQueries). H2 executes them all but reports only the first.
     */
    public boolean reportsEveryResult() {
        return multiStatements;
    }

    /** Whether writes can return rows ({@code DELETE ... RETURNING}). */
    public boolean supportsReturning() {
        return returning;
    }

    /** A small pool on this database; skips (or fails on CI) when the server does not answer. */
    public HikariDataSource pool(Map<String, String> options) {
        return pool(options, 6, 30_000); // a cold H2 in a JVM on a busy machine takes seconds
    }

    /** A pool of at most {@code maximumPoolSize} connections, waiting {@code connectionTimeoutMillis} for one. */
    public HikariDataSource pool(Map<String, String> options, int maximumPoolSize, long connectionTimeoutMillis) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url(options));
        config.setUsername(user());
        config.setPassword(password());
        config.setMaximumPoolSize(maximumPoolSize);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(connectionTimeoutMillis);
        config.setInitializationFailTimeout(-1);
        config.setLeakDetectionThreshold(Long.getLong("test.leakDetectionMillis", 0));
        config.setPoolName("jobguard-test-" + name().toLowerCase() + "-" + maximumPoolSize);
        HikariDataSource pool = new HikariDataSource(config);
        try (Connection connection = pool.getConnection()) {
            connection.isValid(5);
        } catch (SQLException unreachable) {
            pool.close();
            String message = displayName + " is not reachable at " + url(options) + " (" + unreachable.getMessage()
                    + "); set " + urlVariable + " (and _USER/_PASSWORD) to run these tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true, so a missing database fails the build: " + message, unreachable);
            }
            Assumptions.abort("skipped: " + message);
        }
        return pool;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
