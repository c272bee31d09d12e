package dev.jobguard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardMode;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.Trip;
import dev.jobguard.TripReason;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.JobState;
import dev.jobguard.state.JobStatus;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateChange;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The CLI's contract against one database: subclasses say which, and prepare the tables with auto-create. */
abstract class CliContractTest {

    /** The database, reachable; tables prepared by the store under {@link #prefix()}. */
    abstract DataSource dataSource();

    /** The CLI's connection options (URL, user, password, table prefix). */
    abstract List<String> connection();

    abstract String prefix();

    JdbcStateStore store;
    String job;

    @BeforeEach
    void prepareStore() {
        store = JdbcStateStore.builder(dataSource())
                .autoCreateTables(true)
                .tablePrefix(prefix())
                .build();
        store.jobs();
        job = "cli-job-" + UUID.randomUUID().toString().substring(0, 8);
    }

    Cli.Result cli(String... command) {
        return Cli.run(connection(), command);
    }

    @Test
    void statusListsADisabledJobWithItsReason() {
        store.change(new StateChange(job, JobStatus.DISABLED, null, "deleted too much", "alice", Instant.now()));

        Cli.Result result = cli("status");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Global switch: ENABLED");
        String line =
                result.out().lines().filter(l -> l.startsWith(job)).findFirst().orElseThrow();
        assertThat(line).contains("DISABLED", "deleted too much", "alice");
        assertThat(result.err()).isEmpty();
    }

    @Test
    void disableThenEnableWithDryRunChangesTheStoredState() {
        Cli.Result disabled = cli("disable", job, "--reason", "incident 42", "--actor", "bob");

        assertThat(disabled.exitCode()).isZero();
        JobState state = store.read(job).job();
        assertThat(state.status()).isEqualTo(JobStatus.DISABLED);
        assertThat(state.reason()).isEqualTo("incident 42");
        assertThat(state.actor()).isEqualTo("bob");
        assertThat(disabled.out()).contains("Disabled job '" + job + "'", "was never seen");

        Cli.Result enabled = cli("enable", job, "--reason", "try the fix", "--mode", "dry-run");

        assertThat(enabled.exitCode()).isZero();
        state = store.read(job).job();
        assertThat(state.status()).isEqualTo(JobStatus.ENABLED);
        assertThat(state.modeOverride()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(state.reason()).isEqualTo("try the fix");
        assertThat(state.actor()).isEqualTo(System.getProperty("user.name"));
        assertThat(enabled.out()).contains("with mode dry-run").doesNotContain("never seen");
    }

    @Test
    void runsAndShowPrintARecordedRunWithItsTrip() {
        RunRecord run = trippedRun(Instant.now().minus(Duration.ofMinutes(5)));
        store.runEnded(run);

        Cli.Result runs = cli("runs", job, "--limit", "5");

        assertThat(runs.exitCode()).isZero();
        assertThat(runs.out().lines().findFirst().orElseThrow())
                .contains("RUN ID", "STARTED", "DURATION", "NODE", "MODE", "OUTCOME", "ROWS", "TRIP");
        assertThat(runs.out()).contains(run.runId(), "node-a", "enforce", "TRIPPED", "150", "MAX_ROWS_CHANGED 150>100");

        Cli.Result show = cli("show", run.runId());

        assertThat(show.exitCode()).isZero();
        assertThat(show.out())
                .contains(run.runId(), job, "TRIPPED", "2.5s", "over maxRowsChanged=100")
                .contains("DELETE FROM cli_orders")
                .containsPattern("cli_orders\\s+DELETE\\s+140")
                .containsPattern("cli_order_lines\\s+UPDATE\\s+10");
    }

    @Test
    void unknownRunOrJobExitsWithTwo() {
        Cli.Result show = cli("show", "no-such-run");
        assertThat(show.exitCode()).isEqualTo(2);
        assertThat(show.err().strip()).isEqualTo("jobguard: unknown run 'no-such-run'");

        Cli.Result runs = cli("runs", "no-such-job-" + job);
        assertThat(runs.exitCode()).isEqualTo(2);
        assertThat(runs.err()).contains("unknown job");
    }

    @Test
    void aBadModeIsAUsageError() {
        Cli.Result result = cli("enable", job, "--reason", "x", "--mode", "yolo");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.err()).contains("--mode", "yolo", "dry-run, observe or enforce");
        assertThat(store.read(job).job().version()).isZero();
    }

    @Test
    void purgeRemovesOldRunsOnly() throws SQLException {
        RunRecord old = trippedRun(Instant.now().minus(Duration.ofDays(40)));
        RunRecord recent = trippedRun(Instant.now().minus(Duration.ofDays(1)));
        RunRecord running = RunRecord.started(
                UUID.randomUUID().toString(),
                job,
                "node-a",
                GuardMode.ENFORCE,
                Instant.now().minus(Duration.ofDays(50)));
        store.runEnded(old);
        store.runEnded(recent);
        store.runStarted(running);

        Cli.Result result = cli("purge", "--older-than", "30d");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).contains("Purged");
        assertThat(store.run(old.runId())).isEmpty();
        assertThat(tableRows(old.runId())).isZero();
        assertThat(store.run(recent.runId())).isPresent();
        assertThat(tableRows(recent.runId())).isEqualTo(2);
        assertThat(store.run(running.runId())).isPresent();

        assertThat(cli("purge", "--older-than", "P30D").exitCode()).isZero();
        assertThat(store.run(recent.runId())).isPresent();
    }

    @Test
    void revertIsNotAvailableYet() {
        Cli.Result result = cli("revert", "some-run", "--dry-run");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err()).contains("revert is not available yet", "change journal");
    }

    @Test
    void missingTablesFailWithTheStoresMessage() {
        List<String> options = new java.util.ArrayList<>(connection());
        int at = options.indexOf("--table-prefix");
        options.set(at + 1, "jgcli_missing_");

        Cli.Result result = Cli.run(options, "status");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.err().strip())
                .startsWith("jobguard: ")
                .contains("schema-")
                .doesNotContain("\n");
    }

    RunRecord trippedRun(Instant start) {
        Instant started = start.truncatedTo(ChronoUnit.MILLIS);
        return new RunRecord(
                UUID.randomUUID().toString(),
                job,
                "node-a",
                GuardMode.ENFORCE,
                started,
                started.plusMillis(2500),
                RunOutcome.TRIPPED,
                new Trip(TripReason.MAX_ROWS_CHANGED, 100, 150, "cli_orders", "DELETE FROM cli_orders WHERE 1=1"),
                "limit crossed",
                150,
                false,
                Map.of("cli_orders", Map.of(Operation.DELETE, 140L), "cli_order_lines", Map.of(Operation.UPDATE, 10L)));
    }

    private int tableRows(String runId) throws SQLException {
        try (Connection connection = dataSource().getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT COUNT(*) FROM " + prefix() + "run_table WHERE run_id = ?")) {
            select.setString(1, runId);
            try (ResultSet rows = select.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }
}
