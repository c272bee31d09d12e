package dev.jobguard.state;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.it.TestDatabase;
import dev.jobguard.jdbc.GuardedDataSource;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The contract on a database, plus what only a database store does: its rows, its tables and their DDL, failures of
 * the database. Each test works on tables of its own (a random prefix), dropped afterwards.
 */
public abstract class AbstractJdbcStateStoreTest extends AbstractStateStoreTest {

    protected HikariDataSource pool;
    /** The second node's own pool. */
    protected HikariDataSource otherPool;

    protected String prefix;

    protected abstract TestDatabase database();

    /** A JDBC URL of this database's driver where nothing listens. */
    protected abstract String unreachableUrl();

    /** The DDL resource of this database. */
    protected abstract String schemaResource();

    @BeforeAll
    void openPools() {
        pool = database().pool(Map.of());
        otherPool = database().pool(Map.of());
    }

    @AfterAll
    void closePools() {
        if (pool != null) {
            pool.close();
        }
        if (otherPool != null) {
            otherPool.close();
        }
    }

    @Override
    protected StateStore newStore() {
        prefix = "jgt" + UUID.randomUUID().toString().substring(0, 8) + "_";
        return JdbcStateStore.builder(pool).tablePrefix(prefix).clock(clock).build();
    }

    @Override
    protected StateStore newOtherNode() {
        return JdbcStateStore.builder(otherPool)
                .tablePrefix(prefix)
                .clock(otherClock)
                .build();
    }

    @AfterEach
    void dropTables() throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : List.of("run_table", "run_statement", "run", "job", "action")) {
                statement.execute("DROP TABLE IF EXISTS " + prefix + table);
            }
        }
    }

    @Test
    void eachChangeIsOneRowOfTheActionTableAndATimeBoxedDisableStoresItsEnd() throws SQLException {
        store.change(new StateChange(
                "invoices", JobStatus.DISABLED, null, "INC-7", "alice", T0, T0.plusSeconds(7200), null));

        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            try (ResultSet job = statement.executeQuery("SELECT status, disabled_until FROM " + prefix + "job")) {
                assertThat(job.next()).isTrue();
                assertThat(job.getString("status")).isEqualTo("DISABLED");
                assertThat(job.getObject("disabled_until", LocalDateTime.class))
                        .isEqualTo(LocalDateTime.ofInstant(T0.plusSeconds(7200), ZoneOffset.UTC));
            }
            try (ResultSet action = statement.executeQuery("SELECT job, action, from_status, to_status, reason, actor,"
                    + " acted_at, run_id, until_at FROM " + prefix + "action")) {
                assertThat(action.next()).isTrue();
                assertThat(action.getString("job")).isEqualTo("invoices");
                assertThat(action.getString("action")).isEqualTo("DISABLED");
                assertThat(action.getString("from_status")).isNull();
                assertThat(action.getString("to_status")).isEqualTo("DISABLED");
                assertThat(action.getString("reason")).isEqualTo("INC-7");
                assertThat(action.getString("actor")).isEqualTo("alice");
                assertThat(action.getObject("acted_at", LocalDateTime.class))
                        .isEqualTo(LocalDateTime.ofInstant(T0, ZoneOffset.UTC));
                assertThat(action.getString("run_id")).isNull();
                assertThat(action.getObject("until_at", LocalDateTime.class))
                        .isEqualTo(LocalDateTime.ofInstant(T0.plusSeconds(7200), ZoneOffset.UTC));
                assertThat(action.next()).isFalse();
            }
        }
    }

    @Test
    void aChangeWhoseAuditEntryCannotBeWrittenIsNotApplied() throws SQLException {
        store.change(new StateChange("invoices", JobStatus.DISABLED, null, "INC-7", "alice", T0));
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + prefix + "action ADD CONSTRAINT " + prefix
                    + "no_enable CHECK (action <> 'ENABLED')");
        }

        assertThatThrownBy(() -> store.change(
                        new StateChange("invoices", JobStatus.ENABLED, null, "fixed", "bob", T0.plusSeconds(5))))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining(prefix + "action");

        JobState state = otherNode.read("invoices").job();
        assertThat(state.isDisabled()).isTrue();
        assertThat(state.version()).isEqualTo(1);
        assertThat(store.history("invoices", 5)).extracting(JobAction::kind).containsExactly(JobAction.Kind.DISABLED);
    }

    @Test
    void aChangeIsOneRowOfTheJobTableWithItsTimeInUtc() throws SQLException {
        store.change(new StateChange("invoices", JobStatus.DISABLED, null, "trip", "jobguard@n1", T0));
        store.change(new StateChange(
                "invoices", JobStatus.ENABLED, GuardMode.OBSERVE, "tuning", "alice", T0.plusSeconds(5)));

        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(
                        "SELECT name, status, mode_override, reason, actor, changed_at, version FROM " + prefix
                                + "job")) {
            assertThat(row.next()).isTrue();
            assertThat(row.getString("name")).isEqualTo("invoices");
            assertThat(row.getString("status")).isEqualTo("ENABLED");
            assertThat(row.getString("mode_override")).isEqualTo("OBSERVE");
            assertThat(row.getString("reason")).isEqualTo("tuning");
            assertThat(row.getString("actor")).isEqualTo("alice");
            assertThat(row.getObject("changed_at", LocalDateTime.class))
                    .isEqualTo(LocalDateTime.ofInstant(T0.plusSeconds(5), ZoneOffset.UTC));
            assertThat(row.getLong("version")).isEqualTo(2);
            assertThat(row.next()).isFalse();
        }
    }

    @Test
    void aRunIsARunningRowUntilItEndsWithItsTripColumnsAndOneRowPerTableAndOperation() throws SQLException {
        RunRecord started = started("run-1", 0, GuardMode.ENFORCE);
        store.runStarted(started);
        assertThat(queryRun("run-1")).containsEntry("outcome", "RUNNING").containsEntry("ended_at", null);

        store.runEnded(end(
                started,
                RunOutcome.TRIPPED,
                TRIP,
                null,
                351,
                false,
                Map.of("invoices", Map.of(Operation.UPDATE, 350L, Operation.DELETE, 1L))));

        assertThat(queryRun("run-1"))
                .containsEntry("outcome", "TRIPPED")
                .containsEntry("ended_at", LocalDateTime.ofInstant(T0.plusMillis(1500), ZoneOffset.UTC))
                .containsEntry("trip_reason", "TABLE_LIMIT")
                .containsEntry("trip_limit", "200")
                .containsEntry("trip_figure", "350")
                .containsEntry("trip_table", "invoices")
                .containsEntry("trip_statement", TRIP.statement())
                .containsEntry("rows_changed", "351");
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT table_name, operation, rows_changed FROM " + prefix
                        + "run_table WHERE run_id = 'run-1' ORDER BY operation")) {
            List<String> found = new ArrayList<>();
            while (rows.next()) {
                found.add(rows.getString(1) + " " + rows.getString(2) + " " + rows.getLong(3));
            }
            assertThat(found).containsExactly("invoices DELETE 1", "invoices UPDATE 350");
        }
    }

    @Test
    void textsLongerThanTheirColumnAreCut() {
        JobState changed = store.change(
                new StateChange("invoices", JobStatus.DISABLED, null, "r".repeat(1500), "a".repeat(300), T0));

        assertThat(changed.reason()).hasSize(StoreRows.MAX_REASON_LENGTH);
        assertThat(store.read("invoices").job()).isEqualTo(changed);
        assertThat(changed.actor()).hasSize(StoreRows.MAX_ACTOR_LENGTH);
    }

    @Test
    void theStoreCreatesItsTablesOnFirstUse() throws SQLException {
        assertThat(tablesFound()).isEmpty();

        store.read("invoices");

        assertThat(tablesFound()).containsExactlyInAnyOrder(prefix + "job", prefix + "run", prefix + "run_table");
    }

    @Test
    void twoNodesStartingAtOnceBothCreateOrFindTheTables() throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<CompletableFuture<StateStore.JobStates>> reads = new ArrayList<>();
        for (StateStore node : List.of(store, otherNode, newOtherNode(), newOtherNode())) {
            reads.add(CompletableFuture.supplyAsync(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return node.read("invoices");
            }));
        }
        start.countDown();

        for (CompletableFuture<StateStore.JobStates> read : reads) {
            assertThat(read.get(60, TimeUnit.SECONDS).runnable()).isTrue();
        }
        assertThat(tablesFound()).containsExactlyInAnyOrder(prefix + "job", prefix + "run", prefix + "run_table");
    }

    @Test
    void withAutoCreateOffAMissingTableFailsNamingItTheDdlAndTheSetting() {
        JdbcStateStore managed = JdbcStateStore.builder(pool)
                .tablePrefix(prefix)
                .autoCreateTables(false)
                .build();

        assertThatThrownBy(() -> managed.read("invoices"))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining(prefix + "job")
                .hasMessageContaining(schemaResource())
                .hasMessageContaining("autoCreateTables(true)");
    }

    @Test
    void theShippedDdlCreatesWhatTheStoreNeedsAndCanRunTwice() throws Exception {
        JdbcStateStore managed = JdbcStateStore.builder(pool)
                .tablePrefix(prefix)
                .autoCreateTables(false)
                .build();
        assertThatThrownBy(() -> managed.jobs()).isInstanceOf(StateStoreException.class);

        runShippedDdl();
        runShippedDdl();

        managed.change(new StateChange("invoices", JobStatus.DISABLED, null, "r", "a", T0));
        RunRecord ended = succeeded(started("run-1", 0, GuardMode.ENFORCE), Map.of("t", Map.of(Operation.INSERT, 1L)));
        managed.runEnded(ended);
        assertThat(managed.read("invoices").job().version()).isEqualTo(1);
        assertThat(managed.runs("invoices", 5)).containsExactly(ended);
    }

    @Test
    void aClosedPoolFailsWithAStateStoreExceptionSayingWhatTheStoreWasDoing() {
        HikariDataSource closing = database().pool(Map.of());
        JdbcStateStore onClosed =
                JdbcStateStore.builder(closing).tablePrefix(prefix).build();
        onClosed.read("invoices");
        closing.close();

        assertThatThrownBy(() -> onClosed.read("invoices"))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("read the state of job 'invoices'")
                .hasMessageContaining(prefix + "job")
                .hasCauseInstanceOf(SQLException.class);
        assertThatThrownBy(() -> onClosed.runEnded(started("r", 0, GuardMode.ENFORCE)))
                .isInstanceOf(StateStoreException.class)
                .hasMessageContaining("record the end of run r");
    }

    @Test
    void anUnreachableDatabaseFailsFastWithAStateStoreException() {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(unreachableUrl());
        config.setUsername(database().user());
        config.setPassword(database().password());
        config.setConnectionTimeout(500);
        config.setInitializationFailTimeout(-1);
        config.setMinimumIdle(0);
        config.setMaximumPoolSize(1);
        try (HikariDataSource nowhere = new HikariDataSource(config)) {
            JdbcStateStore unreachable = JdbcStateStore.create(nowhere);

            assertTimeoutPreemptively(
                    Duration.ofSeconds(15),
                    () -> assertThatThrownBy(() -> unreachable.change(
                                    new StateChange("invoices", JobStatus.DISABLED, null, "r", "a", T0)))
                            .isInstanceOf(StateStoreException.class)
                            .hasMessageContaining("change the state of job 'invoices'"));
        }
    }

    @Test
    void theStoreWritesPastAGuardedDataSourceSoADryRunKeepsThem() {
        JdbcStateStore throughGuard = JdbcStateStore.builder(GuardedDataSource.wrap(pool))
                .tablePrefix(prefix)
                .build();

        RunReport report = JobGuard.builder()
                .build()
                .run(
                        GuardPolicy.builder("dry").mode(GuardMode.DRY_RUN).build(),
                        () -> throughGuard.change(new StateChange("invoices", JobStatus.DISABLED, null, "r", "a", T0)));

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.rowsChanged()).isZero();
        assertThat(store.read("invoices").job().isDisabled()).isTrue();
    }

    @Test
    void afterFirstUseAReadIsOneQueryAndARunsEndOneTransactionWithOneBatch() {
        RecordingDataSource recording = new RecordingDataSource(pool, false);
        JdbcStateStore counted = JdbcStateStore.builder(recording.dataSource())
                .tablePrefix(prefix)
                .build();
        counted.read("invoices");
        RunRecord started = started("run-1", 0, GuardMode.ENFORCE);
        counted.runStarted(started);
        recording.clear();

        counted.read("invoices");
        assertThat(recording.calls()).containsExactly("prepareStatement");

        recording.clear();
        counted.runEnded(succeeded(
                started,
                Map.of(
                        "invoices", Map.of(Operation.UPDATE, 3L, Operation.INSERT, 2L),
                        "audit_log", Map.of(Operation.INSERT, 5L))));
        assertThat(recording.calls())
                .containsExactly("setAutoCommit", "prepareStatement", "prepareStatement", "commit", "setAutoCommit");
        assertThat(recording.autoCommitOnClose()).containsExactly(true);
    }

    @Test
    void onAPoolInManualCommitModeEveryWriteIsCommittedAndTheConnectionGivenBackAsItCame() {
        RecordingDataSource manual = new RecordingDataSource(pool, true);
        JdbcStateStore onManual =
                JdbcStateStore.builder(manual.dataSource()).tablePrefix(prefix).build();

        onManual.change(new StateChange("invoices", JobStatus.DISABLED, null, "r", "a", T0));
        RunRecord started = started("run-1", 0, GuardMode.ENFORCE);
        onManual.runStarted(started);
        RunRecord ended = succeeded(started, Map.of("invoices", Map.of(Operation.UPDATE, 3L)));
        onManual.runEnded(ended);

        assertThat(store.read("invoices").job().isDisabled()).isTrue();
        assertThat(store.run("run-1")).contains(ended);
        assertThat(manual.autoCommitOnClose()).isNotEmpty().containsOnly(false);
    }

    private Map<String, Object> queryRun(String runId) throws SQLException {
        try (Connection connection = pool.getConnection();
                PreparedStatement select = connection.prepareStatement(
                        "SELECT " + StoreSql.RUN_COLUMNS + " FROM " + prefix + "run WHERE id = ?")) {
            select.setString(1, runId);
            try (ResultSet row = select.executeQuery()) {
                assertThat(row.next()).isTrue();
                Map<String, Object> columns = new HashMap<>();
                for (String column : StoreSql.RUN_COLUMNS.split(",\\s*")) {
                    columns.put(
                            column,
                            column.endsWith("_at")
                                    ? row.getObject(column, LocalDateTime.class)
                                    : row.getString(column));
                }
                return columns;
            }
        }
    }

    /** The store's tables, as the database's metadata lists them (indexes left out). */
    private List<String> tablesFound() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            DatabaseMetaData metaData = connection.getMetaData();
            List<String> found = new ArrayList<>();
            try (ResultSet tables = metaData.getTables(connection.getCatalog(), connection.getSchema(), "%", null)) {
                while (tables.next()) {
                    String name = tables.getString("TABLE_NAME").toLowerCase(Locale.ROOT);
                    if (List.of(prefix + "job", prefix + "run", prefix + "run_table")
                            .contains(name)) {
                        found.add(name);
                    }
                }
            }
            return found;
        }
    }

    /** Runs the DDL resource as a team managing its schema would, with this test's prefix. */
    private void runShippedDdl() throws Exception {
        String ddl;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(schemaResource())) {
            ddl = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            StringBuilder code = new StringBuilder();
            for (String line : ddl.split("\\R")) {
                if (!line.strip().startsWith("--")) {
                    code.append(line).append('\n');
                }
            }
            for (String sql : code.toString().replace("jobguard_", prefix).split(";")) {
                if (!sql.isBlank()) {
                    statement.execute(sql);
                }
            }
        }
    }
}
