package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardContext;
import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.RunRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Dry and atomic runs keep their writes in a sandbox transaction per connection until the run ends. A connection the
 * job closes goes back to the run and is handed out again on the thread's next {@code getConnection()}, so a job that
 * takes and closes a connection per statement (Spring's {@code JdbcTemplate} without a transaction) works with any
 * pool; and a run whose second connection waits on a lock held by its own first one fails fast instead of hanging.
 * Each case runs against a real HikariCP pool wrapped in the guarded DataSource.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractSandboxConnectionIntegrationTest {

    private static final String CANCEL = "UPDATE invoices SET status = 'CANCELLED' WHERE id = ?";

    private final List<HikariDataSource> pools = new ArrayList<>();
    private Invoices invoices;

    protected abstract TestDatabase database();

    @BeforeEach
    void resetTables() throws SQLException {
        HikariDataSource setup = pool(2);
        invoices = new Invoices(setup);
        invoices.reset(1000);
        try (Connection connection = setup.getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : new String[] {"jobguard_run_table", "jobguard_run", "jobguard_job"}) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
    }

    @AfterEach
    void closePools() {
        pools.forEach(HikariDataSource::close);
        pools.clear();
    }

    private HikariDataSource pool(int maximumPoolSize) {
        // a job that cannot get a connection fails after 10 s instead of Hikari's 30
        HikariDataSource pool = database().pool(Map.of(), maximumPoolSize, 10_000);
        pools.add(pool);
        return pool;
    }

    private static JobGuard guard(DataSource store, Duration sandboxLockTimeout) {
        return JobGuard.builder()
                .stateStore(JdbcStateStore.create(store))
                .sandboxLockTimeout(sandboxLockTimeout)
                .build();
    }

    /** Cancels one invoice on a connection of its own, closed after the statement, as JdbcTemplate.update does. */
    private static int cancelOnItsOwnConnection(DataSource dataSource, long id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(CANCEL)) {
            statement.setLong(1, id);
            return statement.executeUpdate();
        }
    }

    private static int update(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    private static String note(Connection connection, long id) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT note FROM audit_log WHERE id = " + id)) {
            return rows.next() ? rows.getString(1) : null;
        }
    }

    @Test
    void theIssuesDryRunOfElevenStatementsOnAPoolOfTenCompletes() throws SQLException {
        // the issue: a DRY_RUN job without @Transactional calling jdbcTemplate.update 11 times exhausted Hikari's 10
        HikariDataSource pool = pool(10);
        DataSource guarded = GuardedDataSource.wrap(pool);
        List<String> before = invoices.snapshot("invoices");

        RunReport report = guard(pool, JobGuard.DEFAULT_SANDBOX_LOCK_TIMEOUT)
                .run(GuardPolicy.builder("cancel").mode(GuardMode.DRY_RUN).build(), () -> {
                    for (long id = 1; id <= 11; id++) {
                        cancelOnItsOwnConnection(guarded, id);
                    }
                });

        assertThat(report.failure()).isEmpty();
        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.rowsChanged()).isEqualTo(11);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aDryRunOfAnAutoCommitJobGoesOnAfterAFailedStatementAsTheRealRunWould() throws SQLException {
        // found by the fuzzer (PostgreSQL, seed 100061): a failed statement aborted the sandbox's transaction, so
        // the job's next statements and even its close() failed with "current transaction is aborted"
        HikariDataSource pool = pool(4);
        DataSource guarded = GuardedDataSource.wrap(pool);
        List<String> before = invoices.snapshot("invoices");
        long[] seenInTheRun = {-1};

        RunReport report = guard(pool, JobGuard.DEFAULT_SANDBOX_LOCK_TIMEOUT)
                .run(
                        GuardPolicy.builder("cancel")
                                .mode(GuardMode.DRY_RUN)
                                .maxRowsChanged(100)
                                .build(),
                        () -> {
                            try (Connection connection = guarded.getConnection()) {
                                assertThat(connection.getAutoCommit()).isTrue();
                                update(connection, "UPDATE invoices SET status = 'CANCELLED' WHERE id <= 5");
                                try {
                                    update(connection, "UPDATE invoices SET no_such_column = 1 WHERE id <= 5");
                                } catch (SQLException ignoredByTheJob) {
                                    // a job that goes on after a failed statement, as auto-commit lets it
                                }
                                update(connection, "UPDATE invoices SET status = 'CANCELLED' WHERE id BETWEEN 6 AND 8");
                                try (Statement statement = connection.createStatement();
                                        ResultSet rows = statement.executeQuery(
                                                "SELECT COUNT(*) FROM invoices WHERE status = 'CANCELLED'")) {
                                    rows.next();
                                    seenInTheRun[0] = rows.getLong(1);
                                }
                            }
                        });

        assertThat(report.failure()).isEmpty();
        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.rowsChanged()).isEqualTo(8);
        assertThat(seenInTheRun[0])
                .as("the first update, before the failed statement, is still there")
                .isEqualTo(8);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
    }

    @Test
    void everyConnectionOfADryRunGoesBackToThePoolWhenTheRunEndsThoughASecondOneWrote() throws SQLException {
        HikariDataSource pool = pool(6);
        DataSource guarded = GuardedDataSource.wrap(pool);
        List<String> before = invoices.snapshot("invoices");

        for (String write : new String[] {
            "UPDATE invoices SET status = 'CANCELLED' WHERE id <= 10", "DELETE FROM audit_log WHERE id < 0"
        }) {
            RunReport report = guard(pool, JobGuard.DEFAULT_SANDBOX_LOCK_TIMEOUT)
                    .run(
                            GuardPolicy.builder("cancel")
                                    .mode(GuardMode.DRY_RUN)
                                    .maxRowsChanged(37)
                                    .build(),
                            () -> {
                                try (Connection first = guarded.getConnection();
                                        Connection second = guarded.getConnection();
                                        Statement statement = second.createStatement()) {
                                    first.setAutoCommit(true);
                                    second.setAutoCommit(true);
                                    statement.execute(write);
                                    while (statement.getMoreResults() || statement.getUpdateCount() != -1) {
                                        // reads every result
                                    }
                                }
                            });

            assertThat(report.failure()).as(write).isEmpty();
            assertThat(pool.getHikariPoolMXBean().getActiveConnections())
                    .as("connections still in use after a dry run that wrote '%s' on its second connection", write)
                    .isZero();
        }
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aDryRunOfAThousandStatementsEachOnItsOwnConnectionNeedsOnePooledConnection() throws SQLException {
        HikariDataSource pool = pool(2);
        DataSource guarded = GuardedDataSource.wrap(pool);
        List<String> before = invoices.snapshot("invoices");
        int[] mostInUse = {0};

        RunReport report = guard(pool, JobGuard.DEFAULT_SANDBOX_LOCK_TIMEOUT)
                .run(GuardPolicy.builder("cancel").mode(GuardMode.DRY_RUN).build(), () -> {
                    for (long id = 1; id <= 1000; id++) {
                        assertThat(cancelOnItsOwnConnection(guarded, id)).isEqualTo(1);
                        mostInUse[0] = Math.max(
                                mostInUse[0], pool.getHikariPoolMXBean().getActiveConnections());
                    }
                });

        assertThat(report.failure()).isEmpty();
        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.rowsChanged()).isEqualTo(1000);
        assertThat(report.rowsByTable()).containsKey("invoices");
        assertThat(mostInUse[0]).as("pooled connections the run held").isEqualTo(1);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
    }

    @Test
    void anAtomicRunOfAThousandStatementsEachOnItsOwnConnectionCommitsThemAll() throws SQLException {
        HikariDataSource pool = pool(2);
        DataSource guarded = GuardedDataSource.wrap(pool);

        RunReport report = guard(pool, JobGuard.DEFAULT_SANDBOX_LOCK_TIMEOUT)
                .run(GuardPolicy.builder("cancel").atomic(true).build(), () -> {
                    for (long id = 1; id <= 1000; id++) {
                        cancelOnItsOwnConnection(guarded, id);
                    }
                });

        assertThat(report.failure()).isEmpty();
        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.rowsChanged()).isEqualTo(1000);
        assertThat(invoices.cancelled()).isEqualTo(1000);
        assertThat(pool.getHikariPoolMXBean().getActiveConnections()).isZero();
    }

    @Test
    void aLaterStatementOfADryRunSeesAnEarlierOnesWriteMadeOnAConnectionClosedSince() throws SQLException {
        HikariDataSource pool = pool(2);
        DataSource guarded = GuardedDataSource.wrap(pool);
        String[] seen = new String[1];
        int[] updated = new int[1];

        RunReport report = guard(pool, JobGuard.DEFAULT_SANDBOX_LOCK_TIMEOUT)
                .run(GuardPolicy.builder("audit").mode(GuardMode.DRY_RUN).build(), () -> {
                    try (Connection connection = guarded.getConnection()) {
                        update(connection, "INSERT INTO audit_log (id, note) VALUES (1, 'inserted')");
                    }
                    try (Connection connection = guarded.getConnection()) {
                        updated[0] = update(connection, "UPDATE audit_log SET note = 'updated' WHERE id = 1");
                    }
                    try (Connection connection = guarded.getConnection()) {
                        seen[0] = note(connection, 1);
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(updated[0]).isEqualTo(1);
        assertThat(seen[0]).isEqualTo("updated");
        assertThat(report.rowsChanged()).isEqualTo(2);
        assertThat(invoices.count("audit_log", "")).isZero();
    }

    @Test
    void aConnectionStillOpenIsNeverHandedOutTwiceAndOtherThreadsGetTheirOwn() throws Exception {
        HikariDataSource pool = pool(4);
        DataSource guarded = GuardedDataSource.wrap(pool);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        List<String> seen = new ArrayList<>();

        RunReport report;
        try {
            report = guard(pool, JobGuard.DEFAULT_SANDBOX_LOCK_TIMEOUT)
                    .run(GuardPolicy.builder("audit").mode(GuardMode.DRY_RUN).build(), () -> {
                        try (Connection first = guarded.getConnection()) {
                            update(first, "INSERT INTO audit_log (id, note) VALUES (1, 'first')");
                            try (Connection second = guarded.getConnection()) {
                                assertThat(second).isNotSameAs(first);
                                update(second, "INSERT INTO audit_log (id, note) VALUES (2, 'second')");
                                // a separate transaction: the first's uncommitted row is not there
                                seen.add("second sees 1: " + note(second, 1));
                            }
                            // the second went back to the run: handed out again, with its own row
                            try (Connection again = guarded.getConnection()) {
                                assertThat(again).isNotSameAs(first);
                                seen.add("again sees 2: " + note(again, 2));
                                seen.add("again sees 1: " + note(again, 1));
                            }
                        }
                        // another thread of the run gets a connection of its own, not this thread's idle ones
                        CompletableFuture.runAsync(
                                        () -> {
                                            try (Connection other = guarded.getConnection()) {
                                                seen.add("other thread sees 1: " + note(other, 1));
                                                seen.add("other thread sees 2: " + note(other, 2));
                                            } catch (SQLException e) {
                                                throw new IllegalStateException(e);
                                            }
                                        },
                                        GuardContext.current().wrap(executor))
                                .get(30, TimeUnit.SECONDS);
                    });
        } finally {
            executor.shutdownNow();
        }

        assertThat(report.failure()).isEmpty();
        assertThat(seen)
                .containsExactly(
                        "second sees 1: null",
                        "again sees 2: second",
                        "again sees 1: null",
                        "other thread sees 1: null",
                        "other thread sees 2: null");
        assertThat(invoices.count("audit_log", "")).isZero();
    }

    @Test
    void aConnectionHandedOutAgainHasThePoolsSettingsAndNotTheLastJobsOpenTransaction() throws SQLException {
        HikariDataSource pool = pool(2);
        DataSource guarded = GuardedDataSource.wrap(pool);
        List<Object> seen = new ArrayList<>();
        int[] isolation = new int[1];
        try (Connection raw = pool.getConnection()) {
            isolation[0] = raw.getTransactionIsolation();
        }
        int other = isolation[0] == Connection.TRANSACTION_SERIALIZABLE
                ? Connection.TRANSACTION_READ_COMMITTED
                : Connection.TRANSACTION_SERIALIZABLE;

        RunReport report = guard(pool, JobGuard.DEFAULT_SANDBOX_LOCK_TIMEOUT)
                .run(GuardPolicy.builder("audit").atomic(true).build(), () -> {
                    try (Connection connection = guarded.getConnection()) {
                        connection.setAutoCommit(false);
                        update(connection, "INSERT INTO audit_log (id, note) VALUES (1, 'committed')");
                        connection.commit();
                        connection.setReadOnly(true);
                        connection.setTransactionIsolation(other);
                        seen.add(connection.isReadOnly());
                        seen.add(connection.getTransactionIsolation() == other);
                        // closed without a commit: a pool rolls this back
                        update(connection, "INSERT INTO audit_log (id, note) VALUES (2, 'never committed')");
                    }
                    try (Connection connection = guarded.getConnection()) {
                        seen.add(connection.getAutoCommit());
                        seen.add(connection.isReadOnly());
                        seen.add(connection.getTransactionIsolation() == isolation[0]);
                        seen.add(note(connection, 1));
                        seen.add(note(connection, 2));
                        connection.setAutoCommit(false);
                        update(connection, "INSERT INTO audit_log (id, note) VALUES (3, 'rolled back')");
                        connection.rollback(); // back to the start of this job transaction, not further
                        seen.add(note(connection, 1));
                    }
                });

        assertThat(report.failure()).isEmpty();
        assertThat(seen).containsExactly(true, true, true, false, true, "committed", null, "committed");
        assertThat(invoices.snapshot("audit_log")).containsExactly("1|committed|");
    }

    @Test
    void transactionsThatSetTheirIsolationBeforeTheirFirstWriteAlsoShareOnePooledConnection() throws SQLException {
        // what Spring's DataSourceTransactionManager does for @Transactional(isolation = ...), once per call
        HikariDataSource pool = pool(2);
        DataSource guarded = GuardedDataSource.wrap(pool);
        int pooled;
        try (Connection raw = pool.getConnection()) {
            pooled = raw.getTransactionIsolation();
        }
        int other = pooled == Connection.TRANSACTION_SERIALIZABLE
                ? Connection.TRANSACTION_READ_COMMITTED
                : Connection.TRANSACTION_SERIALIZABLE;
        List<Integer> isolationHandedOut = new ArrayList<>();
        int[] mostInUse = {0};

        RunReport report = guard(pool, JobGuard.DEFAULT_SANDBOX_LOCK_TIMEOUT)
                .run(GuardPolicy.builder("cancel").mode(GuardMode.DRY_RUN).build(), () -> {
                    for (long id = 1; id <= 20; id++) {
                        try (Connection connection = guarded.getConnection()) {
                            isolationHandedOut.add(connection.getTransactionIsolation());
                            int previous = connection.getTransactionIsolation();
                            connection.setTransactionIsolation(other);
                            connection.setAutoCommit(false);
                            cancel(connection, id);
                            connection.commit();
                            connection.setAutoCommit(true);
                            connection.setTransactionIsolation(previous);
                        }
                        mostInUse[0] = Math.max(
                                mostInUse[0], pool.getHikariPoolMXBean().getActiveConnections());
                    }
                });

        assertThat(report.failure()).isEmpty();
        assertThat(report.rowsChanged()).isEqualTo(20);
        assertThat(mostInUse[0]).isEqualTo(1);
        assertThat(isolationHandedOut).hasSize(20).containsOnly(pooled);
        assertThat(invoices.cancelled()).isZero();
        try (Connection raw = pool.getConnection()) {
            assertThat(raw.getTransactionIsolation()).isEqualTo(pooled);
        }
    }

    @Test
    void aDryRunWhoseSecondConnectionWaitsOnItsFirstFailsFastNamingBothAndTheFix() throws SQLException {
        HikariDataSource pool = pool(4);
        DataSource guarded = GuardedDataSource.wrap(pool);
        List<String> before = invoices.snapshot("invoices");
        JobGuard guard = guard(pool, Duration.ofSeconds(1));
        long started = System.nanoTime();

        RunReport report = guard.run(
                GuardPolicy.builder("self-wait").mode(GuardMode.DRY_RUN).build(), () -> {
                    try (Connection outer = guarded.getConnection()) {
                        cancel(outer, 1);
                        try (Connection requiresNew = guarded.getConnection()) { // REQUIRES_NEW: a second connection
                            cancel(requiresNew, 1);
                        }
                    }
                });

        assertSelfWaitFailed(
                guard, report, started, "dry run", Thread.currentThread().getName());
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aWaitOnTheRunsOwnRowsByAStatementTheGuardDoesNotCountAlsoFailsFast() throws SQLException {
        HikariDataSource pool = pool(4);
        DataSource guarded = GuardedDataSource.wrap(pool);
        JobGuard guard = guard(pool, Duration.ofSeconds(1));
        try (Connection raw = pool.getConnection()) {
            update(raw, "INSERT INTO jobguard_test_marker (id, note) VALUES (1, 'before')");
        }
        long started = System.nanoTime();

        RunReport report = guard.run(
                GuardPolicy.builder("self-wait").mode(GuardMode.DRY_RUN).build(), () -> {
                    try (Connection outer = guarded.getConnection()) {
                        cancel(outer, 1);
                        // jobguard_* tables are ignored: not counted, but in the sandbox's transaction all the same
                        update(outer, "UPDATE jobguard_test_marker SET note = 'outer' WHERE id = 1");
                        try (Connection requiresNew = guarded.getConnection()) {
                            cancel(requiresNew, 2);
                            update(requiresNew, "UPDATE jobguard_test_marker SET note = 'inner' WHERE id = 1");
                        }
                    }
                });

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(15));
        assertThat(report.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(report.failure().orElseThrow().getMessage())
                .contains("waits on itself")
                .contains("held by connection #1")
                .contains("Waiting statement: UPDATE jobguard_test_marker SET note = 'inner' WHERE id = 1");
        assertThat(invoices.cancelled()).isZero();
        assertThat(invoices.snapshot("jobguard_test_marker")).containsExactly("1|before|");
    }

    @Test
    void anAtomicRunWhoseOtherThreadWaitsOnItsOwnRowsFailsFastAndCommitsNothing() throws Exception {
        HikariDataSource pool = pool(4);
        DataSource guarded = GuardedDataSource.wrap(pool);
        List<String> before = invoices.snapshot("invoices");
        JobGuard guard = guard(pool, Duration.ofSeconds(1));
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "helper-of-the-run"));
        long started = System.nanoTime();

        RunReport report;
        try {
            report = guard.run(GuardPolicy.builder("self-wait").atomic(true).build(), () -> {
                try (Connection connection = guarded.getConnection()) {
                    cancel(connection, 1);
                }
                CompletableFuture<Void> helper = CompletableFuture.runAsync(
                        () -> {
                            try (Connection connection = guarded.getConnection()) {
                                cancel(connection, 1);
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        },
                        GuardContext.current().wrap(executor));
                try {
                    helper.join();
                } catch (java.util.concurrent.CompletionException e) {
                    throw (Exception) e.getCause().getCause();
                }
            });
        } finally {
            executor.shutdownNow();
        }

        assertSelfWaitFailed(guard, report, started, "atomic run", "helper-of-the-run");
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void theRunsLockTimeoutIsInForceOnItsConnectionsAndPutBackWhenTheRunEnds() throws SQLException {
        HikariDataSource pool = pool(1); // one physical connection: the one the run used goes back to the pool
        DataSource guarded = GuardedDataSource.wrap(pool);
        String before;
        try (Connection raw = pool.getConnection()) {
            before = lockTimeout(raw);
        }
        String[] during = new String[1];

        for (GuardPolicy policy : List.of(
                GuardPolicy.builder("dry").mode(GuardMode.DRY_RUN).build(),
                GuardPolicy.builder("atomic").atomic(true).build())) {
            RunReport report = guard(pool(2), Duration.ofSeconds(1)).run(policy, () -> {
                try (Connection connection = guarded.getConnection()) {
                    cancel(connection, 1);
                    during[0] = lockTimeout(connection);
                }
            });

            assertThat(report.failure()).isEmpty();
            assertThat(during[0]).isEqualTo(lockTimeoutOfOneSecond());
            try (Connection raw = pool.getConnection()) {
                assertThat(lockTimeout(raw)).isEqualTo(before);
            }
        }
        assertThat(invoices.cancelled()).isEqualTo(1); // the atomic run's
    }

    private String lockTimeout(Connection connection) throws SQLException {
        String sql = switch (database()) {
            case POSTGRESQL -> "SHOW lock_timeout";
            case MARIADB -> "SELECT @@SESSION.innodb_lock_wait_timeout";
            case H2 -> "CALL LOCK_TIMEOUT()";
        };
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

    private String lockTimeoutOfOneSecond() {
        return switch (database()) {
            case POSTGRESQL -> "1s";
            case MARIADB -> "1";
            case H2 -> "1000";
        };
    }

    private static void cancel(Connection connection, long id) throws SQLException {
        assertThat(update(connection, "UPDATE invoices SET status = 'CANCELLED' WHERE id = " + id))
                .isEqualTo(1);
    }

    private static void assertSelfWaitFailed(
            JobGuard guard, RunReport report, long startedNanos, String mode, String waitingThread) {
        Duration took = Duration.ofNanos(System.nanoTime() - startedNanos);
        assertThat(took).as("time to fail").isLessThan(Duration.ofSeconds(15));
        assertThat(report.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(report.failure()).isPresent();
        String message = report.failure().get().getMessage();
        assertThat(message)
                .contains("job 'self-wait' (" + mode + ")")
                .contains("waits on itself")
                .contains("connection #2 (thread " + waitingThread)
                .contains("held by connection #1")
                .contains("last write: UPDATE invoices SET status = 'CANCELLED' WHERE id = 1")
                .contains("Waiting statement: UPDATE invoices")
                .contains("Fix: make this write on the connection that holds the rows")
                .contains("ignoredTables")
                .contains("ENFORCE");
        RunRecord record = guard.runs("self-wait", 1).get(0);
        assertThat(record.runId()).isEqualTo(report.runId());
        assertThat(record.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(record.detail()).contains("waits on itself");
    }
}
