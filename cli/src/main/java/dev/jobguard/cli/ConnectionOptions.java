package dev.jobguard.cli;

import dev.jobguard.JobGuard;
import dev.jobguard.state.JdbcStateStore;
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

    /** Opens the store (never creating tables) and a guard on it; close it after the command. */
    Session open() {
        DriverManagerDataSource dataSource = new DriverManagerDataSource(jdbcUrl, user, password);
        JdbcStateStore store = JdbcStateStore.builder(dataSource)
                .autoCreateTables(false)
                .tablePrefix(tablePrefix)
                .build();
        JobGuard guard =
                JobGuard.builder().stateStore(store).nodeName("jobguard-cli").build();
        return new Session(guard, store, dataSource, tablePrefix);
    }
}
