package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.internal.metrics.GuardMetrics;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStoreException;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The record of a run says apart the rows it committed and the rows that were rolled back ({@code rowsChanged} stays
 * what the run attempted), in the report, in {@code jobguard_run} and in the meters, checked against the rows the
 * database kept.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractRowsKeptIntegrationTest {

    private HikariDataSource pool;
    private DataSource guarded;
    private Invoices invoices;
    private JobGuard guard;
    private SimpleMeterRegistry meters;

    protected abstract TestDatabase database();

    @BeforeAll
    void openPool() {
        pool = database().pool(Map.of());
        guarded = GuardedDataSource.wrap(pool);
        invoices = new Invoices(pool);
    }

    @AfterAll
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @BeforeEach
    void resetTablesAndState() throws SQLException {
        invoices.reset(1000);
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : new String[] {"jobguard_run_table", "jobguard_run", "jobguard_job"}) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        meters = new SimpleMeterRegistry();
        guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(pool))
                .meterRegistry(meters)
                .build();
    }

    /** The count after execution (the preflight would refuse the crossing statement before it ran). */
    private static GuardPolicy.Builder policy() {
        return GuardPolicy.builder("cancel").preflight(false);
    }

    /** Cancels the 100 invoices of ids {@code (block * 100, block * 100 + 100]}. */
    private static void cancelBlock(Connection connection, int block) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id > " + block * 100 + " AND id <= "
                    + (block * 100 + 100));
        }
    }

    @Test
    void aTrippedRunOfAutoCommitStatementsKeepsWhatCommittedBeforeTheTripAndSaysSo() throws SQLException {
        // the issue: "report 600, database 500 kept"
        RunReport report = guard.run(policy().maxRowsChanged(550).build(), () -> {
            try (Connection connection = guarded.getConnection()) {
                for (int block = 0; block < 6; block++) {
                    cancelBlock(connection, block);
                }
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.cancelled()).isEqualTo(500);
        assertThat(report.rowsChanged()).isEqualTo(600);
        assertThat(report.rowsCommitted()).isEqualTo(500);
        assertThat(report.rowsRolledBack()).isEqualTo(100);
        assertThat(storedKept(report.runId())).containsExactly(600L, 500L, 100L);
        assertThat(meter(GuardMetrics.ROWS_COMMITTED)).isEqualTo(500);
        assertThat(meter(GuardMetrics.ROWS_ROLLED_BACK)).isEqualTo(100);
        assertThat(report.summary()).contains("600 rows changed (500 committed, 100 rolled back)");
    }

    @Test
    void aTrippedTransactionalRunKeepsNothingAndSaysSo() throws SQLException {
        // the issue: "550 vs 0"
        RunReport report = guard.run(policy().maxRowsChanged(500).build(), () -> {
            try (Connection connection = guarded.getConnection()) {
                connection.setAutoCommit(false);
                for (int block = 0; block < 5; block++) {
                    cancelBlock(connection, block);
                }
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id > 500 AND id <= 550");
                }
                connection.commit();
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.cancelled()).isZero();
        assertThat(report.rowsChanged()).isEqualTo(550);
        assertThat(storedKept(report.runId())).containsExactly(550L, 0L, 550L);
        assertThat(meter(GuardMetrics.ROWS_COMMITTED)).isZero();
        assertThat(meter(GuardMetrics.ROWS_ROLLED_BACK)).isEqualTo(550);
    }

    @Test
    void commitsRollbacksAndSavepointsOfTheJobAreEachCountedWhereTheyWent() throws SQLException {
        RunReport report = guard.run(policy().build(), () -> {
            try (Connection connection = guarded.getConnection()) {
                connection.setAutoCommit(false);
                cancelBlock(connection, 0);
                connection.commit(); // 100 kept
                cancelBlock(connection, 1);
                connection.rollback(); // 100 given back
                cancelBlock(connection, 2);
                Savepoint half = connection.setSavepoint();
                cancelBlock(connection, 3);
                connection.rollback(half); // 100 given back
                connection.commit(); // 100 kept
                cancelBlock(connection, 4);
                connection.setAutoCommit(true); // commits: 100 kept
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.cancelled()).isEqualTo(300);
        assertThat(report.rowsChanged()).isEqualTo(500);
        assertThat(storedKept(report.runId())).containsExactly(500L, 300L, 200L);
    }

    @Test
    void aFailedRunWhoseTransactionNeverCommittedKeptNothing() throws SQLException {
        RunReport report = guard.run(policy().build(), () -> {
            try (Connection connection = guarded.getConnection()) {
                connection.setAutoCommit(false);
                cancelBlock(connection, 0);
                cancelBlock(connection, 1);
                throw new IllegalStateException("remote service down before the commit");
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(invoices.cancelled()).isZero();
        assertThat(storedKept(report.runId())).containsExactly(200L, 0L, 200L);
    }

    @Test
    void aDryRunRollsBackEverythingItChangedAndSaysSo() throws SQLException {
        RunReport report = guard.run(policy().mode(GuardMode.DRY_RUN).build(), () -> {
            try (Connection connection = guarded.getConnection()) {
                connection.setAutoCommit(false);
                cancelBlock(connection, 0);
                connection.commit();
                cancelBlock(connection, 1);
                cancelBlock(connection, 2);
                connection.commit();
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.cancelled()).isZero();
        assertThat(storedKept(report.runId())).containsExactly(300L, 0L, 300L);
    }

    @Test
    void anAtomicRunCommitsEverythingAtItsEnd() throws SQLException {
        RunReport report = guard.run(policy().atomic(true).build(), () -> {
            try (Connection connection = guarded.getConnection()) {
                cancelBlock(connection, 0);
                cancelBlock(connection, 1);
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.cancelled()).isEqualTo(200);
        assertThat(storedKept(report.runId())).containsExactly(200L, 200L, 0L);
    }

    @Test
    void anAtomicRunThatFailsKeepsNothing() throws SQLException {
        RunReport report = guard.run(policy().atomic(true).build(), () -> {
            try (Connection connection = guarded.getConnection()) {
                cancelBlock(connection, 0);
                cancelBlock(connection, 1);
            }
            throw new IllegalStateException("fails after its writes");
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(invoices.cancelled()).isZero();
        assertThat(storedKept(report.runId())).containsExactly(200L, 0L, 200L);
    }

    @Test
    void anObservedRunOverItsLimitKeepsAndSaysItsRows() throws SQLException {
        RunReport report =
                guard.run(policy().maxRowsChanged(50).mode(GuardMode.OBSERVE).build(), () -> {
                    try (Connection connection = guarded.getConnection()) {
                        cancelBlock(connection, 0);
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.cancelled()).isEqualTo(100);
        assertThat(storedKept(report.runId())).containsExactly(100L, 100L, 0L);
        RunRecord record = guard.runs("cancel", 1).get(0);
        assertThat(record.rowsCommitted()).isEqualTo(100);
        assertThat(record.rowsRolledBack()).isZero();
    }

    @Test
    void aRunTableOfAnOlderVersionGetsTheNewColumns() throws SQLException {
        createOlderRunTables("old_jobguard_");
        JobGuard upgraded = JobGuard.builder()
                .stateStore(JdbcStateStore.builder(pool)
                        .tablePrefix("old_jobguard_")
                        .build())
                .build();

        RunReport report = upgraded.run(policy().build(), () -> {
            try (Connection connection = guarded.getConnection()) {
                cancelBlock(connection, 0);
            }
        });

        assertThat(upgraded.runs("cancel", 5))
                .extracting(RunRecord::runId, RunRecord::rowsCommitted)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(report.runId(), 100L));
        assertThat(storedKept("old_jobguard_run", report.runId())).containsExactly(100L, 100L, 0L);
        assertThat(upgraded.stateStore().statements(report.runId()))
                .as("the older statement table got its not_preflighted column")
                .singleElement()
                .satisfies(statement -> assertThat(statement.rows()).isEqualTo(100));
    }

    @Test
    void anOlderRunTableWithoutAutoCreateIsRefusedNamingTheStatementsToRun() throws SQLException {
        createOlderRunTables("older_jobguard_");

        assertThatThrownBy(() -> JdbcStateStore.builder(pool)
                        .tablePrefix("older_jobguard_")
                        .autoCreateTables(false)
                        .build()
                        .jobs())
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("autoCreateTables is off")
                .hasMessageContaining("ALTER TABLE older_jobguard_run ADD COLUMN rows_committed BIGINT")
                .hasMessageContaining("ALTER TABLE older_jobguard_run ADD COLUMN rows_rolled_back BIGINT")
                .hasMessageContaining("ALTER TABLE older_jobguard_run ADD COLUMN trip_before_execution BOOLEAN")
                .hasMessageContaining(
                        "ALTER TABLE older_jobguard_run_statement ADD COLUMN not_preflighted VARCHAR(500)");
    }

    /**
     * The state store's tables as an older jobguard created them: jobguard_run without rows_committed,
     * jobguard_run_statement without not_preflighted.
     */
    private void createOlderRunTables(String prefix) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : new String[] {"run_table", "run_statement", "run", "job", "action"}) {
                statement.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
            statement.execute("CREATE TABLE " + prefix + "job (name VARCHAR(200) NOT NULL PRIMARY KEY,"
                    + " status VARCHAR(16) NOT NULL, mode_override VARCHAR(16), reason VARCHAR(1000),"
                    + " actor VARCHAR(200), changed_at TIMESTAMP(3), version BIGINT NOT NULL)");
            statement.execute("CREATE TABLE " + prefix + "run (id VARCHAR(36) NOT NULL PRIMARY KEY,"
                    + " job VARCHAR(200) NOT NULL, node VARCHAR(200), mode VARCHAR(16) NOT NULL,"
                    + " started_at TIMESTAMP(3) NOT NULL, ended_at TIMESTAMP(3) NULL, outcome VARCHAR(16) NOT NULL,"
                    + " trip_reason VARCHAR(32), trip_limit BIGINT, trip_figure BIGINT, trip_table VARCHAR(255),"
                    + " trip_statement VARCHAR(1000), detail VARCHAR(2000), rows_changed BIGINT NOT NULL DEFAULT 0,"
                    + " rows_lower_bound BOOLEAN NOT NULL DEFAULT FALSE)");
            statement.execute("CREATE TABLE " + prefix + "run_table (run_id VARCHAR(36) NOT NULL,"
                    + " table_name VARCHAR(255) NOT NULL, operation VARCHAR(16) NOT NULL, rows_changed BIGINT NOT NULL,"
                    + " PRIMARY KEY (run_id, table_name, operation))");
            statement.execute("CREATE TABLE " + prefix + "run_statement (run_id VARCHAR(36) NOT NULL, seq INT NOT NULL,"
                    + " sql_text VARCHAR(1100) NOT NULL, table_name VARCHAR(255), operation VARCHAR(16) NOT NULL,"
                    + " executions BIGINT NOT NULL, rows_changed BIGINT NOT NULL, PRIMARY KEY (run_id, seq))");
        }
    }

    private double meter(String name) {
        var counter = meters.find(name).tag("job", "cancel").counter();
        return counter == null ? 0 : counter.count();
    }

    private Long[] storedKept(String runId) throws SQLException {
        return storedKept("jobguard_run", runId);
    }

    /** rows_changed, rows_committed, rows_rolled_back of the run, as the database holds them. */
    private Long[] storedKept(String table, String runId) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("SELECT rows_changed, rows_committed, rows_rolled_back FROM "
                        + table + " WHERE id = '" + runId + "'")) {
            assertThat(row.next()).as("run %s recorded in %s", runId, table).isTrue();
            return new Long[] {row.getLong(1), row.getLong(2), row.getLong(3)};
        }
    }
}
