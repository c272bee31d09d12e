package dev.jobguard.cli;

import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** The contract on PostgreSQL (JOBGUARD_TEST_POSTGRES_URL, _USER, _PASSWORD; see {@link ServerDatabase}). */
class PostgresCliTest extends CliContractTest {

    private static final ServerDatabase DATABASE = ServerDatabase.fromEnvironment(
            "PostgreSQL", "JOBGUARD_TEST_POSTGRES", "jdbc:postgresql://127.0.0.1:5432/test", "postgres");
    private static final String PREFIX = ServerDatabase.randomPrefix();

    @BeforeAll
    static void reachable() {
        DATABASE.requireReachable();
    }

    @AfterAll
    static void dropTables() {
        DATABASE.dropTables(PREFIX);
    }

    @Override
    DataSource dataSource() {
        return DATABASE.dataSource();
    }

    @Override
    List<String> connection() {
        return DATABASE.options(PREFIX);
    }

    @Override
    String prefix() {
        return PREFIX;
    }
}
