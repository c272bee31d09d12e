package dev.jobguard.cli;

import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/** The contract on an in-memory H2 database kept open for the JVM. */
class H2CliTest extends CliContractTest {

    private static final String URL = "jdbc:h2:mem:jgcli-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
    private static final String PREFIX = "jgcli_";

    @Override
    DataSource dataSource() {
        return new DriverManagerDataSource(URL, "sa", "");
    }

    @Override
    List<String> connection() {
        return List.of("--jdbc-url", URL, "--user", "sa", "--password", "", "--table-prefix", PREFIX);
    }

    @Override
    String prefix() {
        return PREFIX;
    }
}
