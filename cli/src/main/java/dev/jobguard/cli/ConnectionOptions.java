package dev.jobguard.cli;

import dev.jobguard.JobGuard;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.StateStoreException;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** Where the state store is: the options every command shares. */
final class ConnectionOptions {

    @Option(
            names = "--jdbc-url",
            paramLabel = "URL",
            description = "JDBC URL of the database holding jobguard's tables (PostgreSQL, MariaDB/MySQL, H2)."
                    + " Required, here or in " + EnvironmentDefaults.JDBC_URL + ".")
    String jdbcUrl;

    @Option(
            names = "--user",
            paramLabel = "USER",
            description = "Database user (default: " + EnvironmentDefaults.USER + ").")
    String user;

    @Option(
            names = "--password",
            paramLabel = "PASSWORD",
            description = "Database password (default: " + EnvironmentDefaults.PASSWORD + ").")
    String password;

    @Option(
            names = "--table-prefix",
            paramLabel = "PREFIX",
            defaultValue = JdbcStateStore.DEFAULT_TABLE_PREFIX,
            description = "Prefix of jobguard's tables (default: " + EnvironmentDefaults.TABLE_PREFIX + ", else "
                    + JdbcStateStore.DEFAULT_TABLE_PREFIX + ").")
    String tablePrefix;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

    /** A usage error when no URL came from the flag or the environment. */
    void requireUrl(CommandLine commandLine) {
        if (jdbcUrl == null || jdbcUrl.isBlank()) {
            throw new ParameterException(
                    commandLine,
                    "Missing the database: give --jdbc-url=URL or set the environment variable "
                            + EnvironmentDefaults.JDBC_URL);
        }
    }

    /**
     * Opens the store (never creating tables) and a guard on it; close it after the command. A URL no driver takes is
     * a usage error; a database that does not answer or refuses the login fails with one line naming the options.
     */
    Session open(CommandLine commandLine) {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(jdbcUrl, user, password);
        connect(commandLine, dataSource);
        JdbcStateStore store = JdbcStateStore.builder(dataSource)
                .autoCreateTables(false)
                .tablePrefix(tablePrefix)
                .build();
        JobGuard guard =
                JobGuard.builder().stateStore(store).nodeName("jobguard-cli").build();
        return new Session(guard, store, dataSource, tablePrefix);
    }

    private void connect(CommandLine commandLine, DriverManagerDataSource dataSource) {
        String shown = jdbcUrl.replaceAll("(?i)(password=)[^&;]*", "$1***");
        try {
            DriverManager.getDriver(jdbcUrl);
        } catch (SQLException noDriver) {
            throw new ParameterException(
                    commandLine,
                    "--jdbc-url '" + shown + "' is not a JDBC URL of a database this CLI has a driver for: use"
                            + " jdbc:postgresql://HOST:5432/DB, jdbc:mariadb://HOST:3306/DB (or jdbc:mysql://)"
                            + " or jdbc:h2:file:PATH");
        }
        boolean hasTables;
        try (Connection connection = dataSource.getConnection()) {
            hasTables = hasJobTable(connection);
        } catch (SQLException failed) {
            throw new StateStoreException(
                    "jobguard: could not connect to " + shown + (user == null ? "" : " as " + user) + ": "
                            + failed.getMessage() + " (check --jdbc-url, --user and --password, or "
                            + EnvironmentDefaults.JDBC_URL + ", " + EnvironmentDefaults.USER + ", "
                            + EnvironmentDefaults.PASSWORD + ")",
                    failed);
        }
        if (!hasTables) {
            throw new StateStoreException("jobguard: the database at " + shown + " has no table " + tablePrefix + "job:"
                    + " no jobguard application has used it, or its tables have another prefix. Check --jdbc-url, and"
                    + " --table-prefix (the application's jobguard.state-store.table-prefix, default jobguard_)");
        }
    }

    /** Whether the state store's job table is there, in whatever case the database keeps unquoted names. */
    private boolean hasJobTable(Connection connection) throws SQLException {
        String table = tablePrefix + "job";
        DatabaseMetaData metaData = connection.getMetaData();
        for (String name : List.of(table, table.toLowerCase(Locale.ROOT), table.toUpperCase(Locale.ROOT))) {
            try (ResultSet tables = metaData.getTables(connection.getCatalog(), null, name, null)) {
                if (tables.next()) {
                    return true;
                }
            }
        }
        return false;
    }
}
