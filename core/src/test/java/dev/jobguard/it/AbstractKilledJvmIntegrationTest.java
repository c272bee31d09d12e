package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.journal.RevertReport;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.RunRecord;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A JVM running a journaled run of auto-commit statements is killed with {@code kill -9} (SIGKILL: no shutdown hook,
 * no rollback by the process): on the next start the run is marked ABANDONED once {@code abandonAfter} has passed,
 * every statement it committed is in the journal (each statement's entries commit in its own transaction), and its
 * revert puts the table back exactly as it was. Killed at several moments, also between a write and its commit.
 */
abstract class AbstractKilledJvmIntegrationTest {

    protected abstract TestDatabase database();

    /** The URL both JVMs use; an embedded database must be one the next JVM can open (a file). */
    protected String url() {
        return database().url();
    }

    private HikariDataSource pool() {
        com.zaxxer.hikari.HikariConfig config = new com.zaxxer.hikari.HikariConfig();
        config.setJdbcUrl(url());
        config.setUsername(database().user());
        config.setPassword(database().password());
        config.setMaximumPoolSize(4);
        return new HikariDataSource(config);
    }

    @ParameterizedTest(name = "killed after {0} statement(s)")
    @ValueSource(ints = {1, 4, 12})
    void aRunKilledWithSigkillIsAbandonedOnRestartAndItsRevertRestoresTheTable(int statements) throws Exception {
        String job = "killed-" + statements;
        List<String> before;
        database().pool(Map.of()).close(); // skips, or fails on CI, when the server does not answer
        try (HikariDataSource pool = pool()) {
            Invoices invoices = new Invoices(pool);
            invoices.reset(1000);
            dropJobguardTables(pool);
            before = invoices.snapshot("invoices");
        }

        Process child = startChild(job, statements == 12 ? 0 : 50);
        try (BufferedReader out =
                new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            int committed = 0;
            String line;
            while (committed < statements && (line = out.readLine()) != null) {
                if (line.startsWith("committed ")) {
                    committed++;
                }
            }
            assertThat(committed)
                    .as("statements the child committed before the kill")
                    .isEqualTo(statements);
        } finally {
            child.destroyForcibly(); // SIGKILL on Linux, as kill -9
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(child.exitValue()).as("killed by SIGKILL (128 + 9)").isEqualTo(137);

        try (HikariDataSource pool = pool()) {
            Invoices invoices = new Invoices(pool);
            long cancelled = invoices.cancelled();
            assertThat(cancelled).isGreaterThanOrEqualTo(Math.min(statements, 10) * 100L);
            ChangeJournal journal = ChangeJournal.create(pool);
            JobGuard restarted = JobGuard.builder()
                    .stateStore(JdbcStateStore.create(pool))
                    .changeJournal(journal)
                    .abandonAfter(Duration.ofMillis(1))
                    .nodeName("next-node")
                    .build();
            RunRecord killed = restarted.runs(job, 1).get(0);
            assertThat(killed.outcome())
                    .as("still RUNNING until a run of the job looks")
                    .isNull();

            restarted.run(GuardPolicy.builder(job).build(), () -> {}); // the next tick marks it ABANDONED

            RunRecord abandoned = restarted.run(killed.runId()).orElseThrow();
            assertThat(abandoned.outcome()).isEqualTo(RunOutcome.ABANDONED);
            assertThat(abandoned.detail()).contains("doomed-node");
            assertThat(journal.entries(killed.runId()))
                    .as("every committed row is journaled")
                    .hasSizeGreaterThanOrEqualTo((int) cancelled);

            RevertReport reverted = restarted.revert(killed.runId(), RevertOptions.DEFAULTS.withActor("test"));

            assertThat(reverted.conflicts()).isEmpty();
            assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        }
    }

    private Process startChild(String job, int pauseMillis) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(System.getProperty("java.home") + File.separator + "bin" + File.separator + "java");
        command.add("-Xmx128m");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KilledRunChild.class.getName());
        command.add(url());
        command.add(database().user());
        command.add(database().password());
        command.add(job);
        command.add(Integer.toString(pauseMillis));
        return new ProcessBuilder(command)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
    }

    private static void dropJobguardTables(HikariDataSource pool) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : new String[] {
                "jobguard_run_table", "jobguard_run", "jobguard_job", "jobguard_change", "jobguard_revert"
            }) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }
}
