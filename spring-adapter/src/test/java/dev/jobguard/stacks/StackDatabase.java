package dev.jobguard.stacks;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The databases the framework tests run their Spring Boot applications on, configured as an application would
 * ({@code spring.datasource.*}): an embedded H2, and the PostgreSQL and MariaDB servers of the integration suite,
 * read from {@code JOBGUARD_TEST_POSTGRES_URL} / {@code JOBGUARD_TEST_MARIADB_URL} (and _USER, _PASSWORD). A server
 * that does not answer skips its tests with a message, or fails them when {@code CI=true}.
 */
public enum StackDatabase {
    H2("H2", null, "jdbc:h2:mem:stacks-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "sa"),
    POSTGRESQL("PostgreSQL", "JOBGUARD_TEST_POSTGRES_URL", "jdbc:postgresql://127.0.0.1:5432/test", "postgres"),
    MARIADB("MariaDB", "JOBGUARD_TEST_MARIADB_URL", "jdbc:mariadb://127.0.0.1:3306/test", "root");

    private final String displayName;
    private final String urlVariable;
    private final String defaultUrl;
    private final String defaultUser;

    StackDatabase(String displayName, String urlVariable, String defaultUrl, String defaultUser) {
        this.displayName = displayName;
        this.urlVariable = urlVariable;
        this.defaultUrl = defaultUrl;
        this.defaultUser = defaultUser;
    }

    public String url() {
        return urlVariable == null ? defaultUrl : env(urlVariable, defaultUrl);
    }

    /** The URL with driver options appended, as an application's {@code spring.datasource.url} would carry them. */
    public String url(Map<String, String> options) {
        StringBuilder url = new StringBuilder(url());
        for (Map.Entry<String, String> option : options.entrySet()) {
            char separator = this == H2 ? ';' : url.indexOf("?") >= 0 ? '&' : '?';
            url.append(separator).append(option.getKey()).append('=').append(option.getValue());
        }
        return url.toString();
    }

    public String user() {
        return urlVariable == null ? defaultUser : env(urlVariable.replace("_URL", "_USER"), defaultUser);
    }

    public String password() {
        return urlVariable == null ? "" : env(urlVariable.replace("_URL", "_PASSWORD"), "");
    }

    /** Skips (or fails on CI) when the server does not answer; then drops the tables whose names start with a prefix. */
    public void requireAndDropTables(String... prefixes) {
        try (Connection connection = DriverManager.getConnection(url(), user(), password());
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            String schema = this == MARIADB ? "database()" : this == H2 ? "'PUBLIC'" : "current_schema()";
            for (String prefix : prefixes) {
                String like = this == H2 ? prefix.toUpperCase(Locale.ROOT) : prefix;
                try (ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables"
                        + " WHERE table_schema = " + schema + " AND table_name LIKE '" + like + "%'")) {
                    while (rows.next()) {
                        tables.add(rows.getString(1));
                    }
                }
            }
            for (String table : tables) {
                statement.execute("DROP TABLE IF EXISTS " + table + (this == MARIADB ? "" : " CASCADE"));
            }
        } catch (SQLException unreachable) {
            String message = displayName + " is not reachable at " + url() + " (" + unreachable.getMessage() + "); set "
                    + urlVariable + " (and _USER/_PASSWORD) to run these tests";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                Assertions.fail("CI=true, so a missing database fails the build: " + message, unreachable);
            }
            Assumptions.abort("skipped: " + message);
        }
    }

    /** The application's {@code spring.datasource.*} properties for this database. */
    public void register(DynamicPropertyRegistry registry, Map<String, String> driverOptions) {
        registry.add("spring.datasource.url", () -> url(driverOptions));
        registry.add("spring.datasource.username", this::user);
        registry.add("spring.datasource.password", this::password);
    }

    @Override
    public String toString() {
        return displayName;
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }
}
