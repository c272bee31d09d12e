package dev.jobguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

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

    @Test
    void withoutJournalTablesPurgeShowAndRevertStillAnswer() {
        String url = "jdbc:h2:mem:jgcli-nojournal-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        JdbcStateStore plain = JdbcStateStore.builder(new DriverManagerDataSource(url, "sa", ""))
                .autoCreateTables(true)
                .build();
        RunRecord run = trippedRun(Instant.now().minus(Duration.ofMinutes(5)));
        plain.runEnded(run);
        List<String> options = List.of("--jdbc-url", url, "--user", "sa", "--password", "");

        Cli.Result purge = Cli.run(options, "purge", "--older-than", "30d");
        assertThat(purge.exitCode()).as(purge.err()).isZero();
        assertThat(purge.out()).contains("No change journal in this database (no table jobguard_change)");

        Cli.Result show = Cli.run(options, "show", run.runId());
        assertThat(show.exitCode()).as(show.err()).isZero();
        assertThat(show.out()).contains("Journal: none in this database");

        Cli.Result revert = Cli.run(options, "revert", run.runId());
        assertThat(revert.exitCode()).isEqualTo(2);
        assertThat(revert.err()).contains("has no change journal", "no table jobguard_change");

        Cli.Result unknown = Cli.run(options, "revert", "no-such-run");
        assertThat(unknown.exitCode()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("jobguard: unknown run 'no-such-run'");
        assertThat(Cli.run(options, "purge", "--older-than", "1d").out())
                .as("none of them created the journal's tables")
                .contains("No change journal");
    }
}
