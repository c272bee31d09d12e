package dev.jobguard.cli;

import dev.jobguard.JobGuard;
import dev.jobguard.state.JdbcStateStore;
import picocli.CommandLine.Option;

/** Where the state store is: the options every command shares. */
final class ConnectionOptions {

    @Option(
            names = "--jdbc-url",
            required = true,
            paramLabel = "URL",
            description = "JDBC URL of the database holding jobguard's tables (PostgreSQL, MariaDB/MySQL, H2).")
    String jdbcUrl;

    @Option(names = "--user", paramLabel = "USER", description = "Database user.")
    String user;

    @Option(names = "--password", paramLabel = "PASSWORD", description = "Database password.")
    String password;

    @Option(
            names = "--table-prefix",
            paramLabel = "PREFIX",
            defaultValue = JdbcStateStore.DEFAULT_TABLE_PREFIX,
            description = "Prefix of jobguard's tables (default: ${DEFAULT-VALUE}).")
    String tablePrefix;

    @Option(names = "--verbose", description = "Print stack traces of failures.")
    boolean verbose;

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
