package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.RunRecord;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The server kills the job's connection (PostgreSQL {@code pg_terminate_backend}, MariaDB {@code KILL}) in the middle
 * of a statement, between a write and its commit, and while its commit waits (PostgreSQL: a deferred constraint
 * trigger that sleeps; MariaDB: {@code FLUSH TABLES WITH READ LOCK} held elsewhere): the run ends FAILED with the driver's error, nothing of it is
 * committed, and the state store, on connections of its own, still records the run. Not on H2: embedded in the JVM,
 * it has no server that drops a connection ({@code ABORT_SESSION} closes the session as the JVM would).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractConnectionKilledIntegrationTest {

    private HikariDataSource jobPool;
    private HikariDataSource adminPool;
    private DataSource guarded;
    private Invoices invoices;
    private JobGuard guard;

    protected abstract TestDatabase database();

    /** The server's id of the connection's session. */
    protected abstract long sessionId(Connection connection) throws SQLException;

    /** Ends the session from another connection, as an operator or the server would. */
    protected abstract void kill(Connection admin, long session) throws SQLException;

    /** Before the run: what makes a commit wait that must be in place before the job writes. */
    protected void prepareToHoldCommits(Connection admin) throws SQLException {}

    /**
     * After the job's write, before its commit: what makes the commit of a transaction that wrote to {@code invoices}
     * wait inside the commit until {@link #releaseCommits}.
     */
    protected void holdCommits(Connection admin) throws SQLException {}

    protected abstract void releaseCommits(Connection admin) throws SQLException;

    /** Whether the session is waiting inside its commit, as the server tells. */
    protected abstract boolean waitsInCommit(Connection admin, long session) throws SQLException;

    @BeforeAll
    void openPools() {
        jobPool = database().pool(Map.of());
        adminPool = database().pool(Map.of());
        guarded = GuardedDataSource.wrap(jobPool);
        invoices = new Invoices(adminPool);
    }

    @AfterAll
    void closePools() {
        for (HikariDataSource pool : new HikariDataSource[] {jobPool, adminPool}) {
            if (pool != null) {
                pool.close();
            }
        }
    }

    @BeforeEach
    void resetTablesAndState() throws SQLException {
        invoices.reset(1000);
        try (Connection connection = adminPool.getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : new String[] {"jobguard_run_table", "jobguard_run", "jobguard_job"}) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        guard = JobGuard.builder().stateStore(JdbcStateStore.create(adminPool)).build();
    }

    @Test
    void aConnectionKilledMidStatementFailsTheRunChangesNothingAndTheRunIsRecorded() throws Exception {
        AtomicLong session = new AtomicLong(-1);
        RunReport report;
        try (Connection locker = adminPool.getConnection()) {
            // a row lock held elsewhere keeps the job's UPDATE in the middle of its statement
            locker.setAutoCommit(false);
            try (Statement statement = locker.createStatement()) {
                statement.executeUpdate("UPDATE invoices SET amount = amount WHERE id = 50");
            }
            CompletableFuture<Void> killer = CompletableFuture.runAsync(() -> {
                try {
                    long id = awaitSession(session);
                    Thread.sleep(500); // the UPDATE is waiting on the lock by now
                    try (Connection admin = adminPool.getConnection()) {
                        kill(admin, id);
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            report = guard.run(GuardPolicy.builder("cancel").maxRowsChanged(100).build(), () -> {
                try (Connection connection = guarded.getConnection()) {
                    session.set(sessionId(connection));
                    try (Statement statement = connection.createStatement()) {
                        statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 60");
                    }
                }
            });
            killer.get(30, TimeUnit.SECONDS);
            locker.rollback();
        }

        assertFailedAndRecorded(report);
        assertThat(invoices.cancelled()).isZero();
    }

    @Test
    void aConnectionKilledBetweenTheWriteAndItsCommitFailsTheRunAndCommitsNothing() throws Exception {
        RunReport report =
                guard.run(GuardPolicy.builder("cancel").maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection()) {
                        connection.setAutoCommit(false);
                        try (Statement statement = connection.createStatement()) {
                            statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 60");
                        }
                        try (Connection admin = adminPool.getConnection()) {
                            kill(admin, sessionId(connection));
                        }
                        connection.commit();
                    }
                });

        assertFailedAndRecorded(report);
        assertThat(report.rowsCommitted()).isZero();
        assertThat(invoices.cancelled()).isZero();
    }

    @Test
    void aConnectionKilledWhileItsCommitWaitsFailsTheRunCommitsNothingAndTheRunIsRecorded() throws Exception {
        AtomicLong session = new AtomicLong(-1);
        RunReport report;
        try (Connection holder = adminPool.getConnection()) {
            prepareToHoldCommits(holder);
            CompletableFuture<Boolean> killer = CompletableFuture.supplyAsync(() -> {
                try (Connection admin = adminPool.getConnection()) {
                    long id = awaitSession(session);
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (!waitsInCommit(admin, id)) {
                        if (System.nanoTime() > deadline) {
                            kill(admin, id); // never leave the run waiting in its commit for ever
                            releaseCommits(holder);
                            return false;
                        }
                        Thread.sleep(20);
                    }
                    kill(admin, id);
                    // MariaDB's global read lock also holds the state store's writes: let the run's record land
                    releaseCommits(holder);
                    return true;
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            report = guard.run(GuardPolicy.builder("cancel").maxRowsChanged(100).build(), () -> {
                try (Connection connection = guarded.getConnection()) {
                    connection.setAutoCommit(false);
                    try (Statement statement = connection.createStatement()) {
                        statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 60");
                    }
                    holdCommits(holder);
                    session.set(sessionId(connection));
                    connection.commit();
                }
            });
            assertThat(killer.get(30, TimeUnit.SECONDS))
                    .as("the commit was seen waiting, and killed there")
                    .isTrue();
            releaseCommits(holder);
        }

        assertFailedAndRecorded(report);
        assertThat(report.rowsCommitted()).isZero();
        assertThat(invoices.cancelled()).isZero();
    }

    @Test
    void theNextRunOfTheJobWorksOnAFreshConnection() throws Exception {
        RunReport killed = guard.run(GuardPolicy.builder("cancel").build(), () -> {
            try (Connection connection = guarded.getConnection()) {
                try (Connection admin = adminPool.getConnection()) {
                    kill(admin, sessionId(connection));
                }
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 60");
                }
            }
        });
        assertFailedAndRecorded(killed);

        RunReport next =
                guard.run(GuardPolicy.builder("cancel").maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 60");
                    }
                });

        assertThat(next.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.cancelled()).isEqualTo(60);
    }

    private void assertFailedAndRecorded(RunReport report) {
        assertThat(report.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(report.failure()).isPresent();
        assertThat(report.failure().orElseThrow()).isInstanceOf(SQLException.class);
        RunRecord recorded = guard.run(report.runId()).orElseThrow();
        assertThat(recorded.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(recorded.detail()).isNotBlank();
        assertThat(recorded.rowsCommitted()).isZero();
    }

    private static long awaitSession(AtomicLong session) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (session.get() < 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("the job never took its connection");
            }
            Thread.sleep(20);
        }
        return session.get();
    }

    static long query(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
