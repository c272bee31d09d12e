package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardContext;
import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.Operation;
import dev.jobguard.RowLimitExceededException;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.StatementRefusedException;
import dev.jobguard.TripReason;
import dev.jobguard.jdbc.GuardedDataSource;
import java.sql.BatchUpdateException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The guard's contract on a real database: every write path is counted as the database counts it, no statement
 * over a limit is ever committed, a dry run leaves no row changed. One subclass per database runs it all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractGuardedRunIntegrationTest {

    static final String CANCEL_ALL_OPEN = "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'";

    /** Invoices per test: 800 OPEN, 200 PAID. */
    static final int INVOICES = 1000;

    static final int OPEN_INVOICES = 800;

    protected HikariDataSource pool;
    protected DataSource guarded;
    protected Invoices invoices;
    protected JobGuard guard;

    protected abstract TestDatabase database();

    /** Extra driver options for this class's pool. */
    protected Map<String, String> driverOptions() {
        return Map.of();
    }

    @BeforeAll
    void openPool() {
        pool = database().pool(driverOptions());
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
        invoices.reset(INVOICES);
        guard = JobGuard.builder().build(); // fresh job state: a trip in one test must not disable the next
    }

    static GuardPolicy.Builder policy() {
        // the count after execution, the guarantee; the preflight that refuses earlier:
        // AbstractPreflightIntegrationTest
        return GuardPolicy.builder("cancel-overdue-invoices").preflight(false);
    }

    // ---- counting: every write path matches the database ----

    @Test
    void executeUpdateCountsMatchTheRowsTheDatabaseChanged() throws SQLException {
        AtomicLong reportedToJob = new AtomicLong();
        RunReport report = guard.run(policy().build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement();
                    PreparedStatement prepared =
                            connection.prepareStatement("UPDATE invoices SET status = ? WHERE id <= ?")) {
                reportedToJob.addAndGet(statement.executeUpdate(
                        "UPDATE invoices SET status = 'CANCELLED' WHERE id > 900 AND status = 'OPEN'"));
                reportedToJob.addAndGet(
                        statement.executeLargeUpdate("DELETE FROM invoices WHERE id > 990 AND status = 'PAID'"));
                prepared.setString(1, "CANCELLED");
                prepared.setLong(2, 10);
                reportedToJob.addAndGet(prepared.executeUpdate());
                prepared.setLong(2, 20);
                reportedToJob.addAndGet(prepared.executeLargeUpdate());
                reportedToJob.addAndGet(statement.executeUpdate(
                        "INSERT INTO audit_log (id, note) VALUES (1, 'a'), (2, 'b')", Statement.NO_GENERATED_KEYS));
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        long cancelled = invoices.cancelled();
        long deleted = INVOICES - invoices.count("invoices", "");
        assertThat(cancelled).isEqualTo(80 + 20);
        assertThat(deleted).isEqualTo(2);
        assertThat(report.rowsChanged("invoices", Operation.UPDATE)).isEqualTo(80 + 10 + 20);
        assertThat(report.rowsChanged("invoices", Operation.DELETE)).isEqualTo(deleted);
        assertThat(report.rowsChanged("audit_log", Operation.INSERT)).isEqualTo(2);
        assertThat(report.rowsChanged()).isEqualTo(reportedToJob.get()).isEqualTo(80 + 10 + 20 + 2 + 2);
        assertThat(report.statementsExecuted()).isEqualTo(5);
        assertThat(report.rowCountIsLowerBound()).isFalse();
    }

    @Test
    void executeThenGetUpdateCountIsCountedAndTheJobStillReadsItsOwnCount() throws SQLException {
        List<Long> seenByJob = new ArrayList<>();
        RunReport report = guard.run(policy().maxRowsChanged(5000).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement();
                    PreparedStatement prepared = connection.prepareStatement("DELETE FROM invoices WHERE status = ?")) {
                assertThat(statement.execute(CANCEL_ALL_OPEN + " AND id <= 100"))
                        .isFalse();
                seenByJob.add((long) statement.getUpdateCount());
                seenByJob.add(statement.getLargeUpdateCount());
                assertThat(statement.getMoreResults()).isFalse();
                seenByJob.add((long) statement.getUpdateCount());
                prepared.setString(1, "PAID");
                assertThat(prepared.execute()).isFalse();
                seenByJob.add(prepared.getLargeUpdateCount());
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(seenByJob).containsExactly(80L, 80L, -1L, 200L);
        assertThat(invoices.cancelled()).isEqualTo(80);
        assertThat(invoices.count("invoices", "status = 'PAID'")).isZero();
        assertThat(report.rowsChanged("invoices", Operation.UPDATE)).isEqualTo(80);
        assertThat(report.rowsChanged("invoices", Operation.DELETE)).isEqualTo(200);
        assertThat(report.rowsChanged()).isEqualTo(280);
    }

    @Test
    void everyResultOfAMultiStatementStringIsCountedAndTheJobReadsItsOwnCounts() throws SQLException {
        assumeTrue(database().reportsEveryResult(), "the driver reports only the first result");
        List<Long> seenByJob = new ArrayList<>();
        RunReport report = guard.run(policy().maxRowsChanged(5000).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                boolean resultSet = statement.execute(CANCEL_ALL_OPEN + " AND id <= 100;"
                        + " DELETE FROM invoices WHERE status = 'PAID' AND id <= 500;"
                        + " INSERT INTO audit_log (id, note) VALUES (1, 'multi')");
                while (resultSet || statement.getUpdateCount() != -1) {
                    seenByJob.add((long) statement.getUpdateCount());
                    resultSet = statement.getMoreResults();
                }
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(seenByJob).containsExactly(80L, 100L, 1L);
        assertThat(report.rowsChanged("invoices", Operation.UPDATE))
                .isEqualTo(invoices.cancelled())
                .isEqualTo(80);
        assertThat(report.rowsChanged("invoices", Operation.DELETE)).isEqualTo(100);
        assertThat(report.rowsChanged("audit_log", Operation.INSERT)).isEqualTo(1);
    }

    @Test
    void executeUpdateOfAMultiStatementStringCountsEveryStatementNotOnlyTheFirst() throws SQLException {
        assumeTrue(database().reportsEveryResult(), "the driver reports only the first result");
        List<String> before = invoices.snapshot("invoices");
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        RunReport report = guard.run(policy().maxRowsChanged(100).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id = 1; " + CANCEL_ALL_OPEN);
            } catch (SQLException e) {
                thrown.set(e);
            }
        });

        assertThat(thrown.get()).isInstanceOf(RowLimitExceededException.class);
        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        // 1 row from the first statement (which is all the driver's executeUpdate returns), 799 from the second
        assertThat(report.rowsChanged()).isEqualTo(1 + (OPEN_INVOICES - 1));
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aMultiStatementStringWhoseCountsTheDriverHidesTripsAndIsRolledBack() throws SQLException {
        assumeTrue(!database().reportsEveryResult(), "the driver reports every result");
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().maxRowsChanged(5000).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("UPDATE invoices SET status = 'CANCELLED' WHERE id = 1; " + CANCEL_ALL_OPEN);
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.UNKNOWN_ROW_COUNT);
        assertThat(report.rowCountIsLowerBound()).isTrue();
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void batchEntriesAreCountedOneByOne() throws SQLException {
        AtomicReference<int[]> statementCounts = new AtomicReference<>();
        AtomicReference<long[]> preparedCounts = new AtomicReference<>();
        RunReport report = guard.run(policy().maxRowsChanged(5000).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement();
                    PreparedStatement prepared =
                            connection.prepareStatement("UPDATE invoices SET status = 'CANCELLED' WHERE id <= ?")) {
                statement.addBatch("INSERT INTO audit_log (id, note) VALUES (1, 'one')");
                statement.addBatch("DELETE FROM invoices WHERE id > 995");
                statement.addBatch("INSERT INTO audit_log (id, note) VALUES (2, 'two')");
                statementCounts.set(statement.executeBatch());
                for (long upTo : new long[] {10, 20, 30}) {
                    prepared.setLong(1, upTo);
                    prepared.addBatch();
                }
                preparedCounts.set(prepared.executeLargeBatch());
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(statementCounts.get()).containsExactly(1, 5, 1);
        assertThat(preparedCounts.get()).containsExactly(10L, 20L, 30L);
        assertThat(report.rowsChanged("audit_log", Operation.INSERT)).isEqualTo(2);
        assertThat(report.rowsChanged("invoices", Operation.DELETE)).isEqualTo(5);
        assertThat(report.rowsChanged("invoices", Operation.UPDATE)).isEqualTo(60);
        assertThat(report.statementsExecuted()).isEqualTo(6);
        assertThat(invoices.count("invoices", "")).isEqualTo(INVOICES - 5);
    }

    @Test
    void aFailedBatchCountsTheEntriesItReportedAndRollsBackInAnEnforcedRun() throws SQLException {
        List<String> before = invoices.snapshot("audit_log");
        AtomicReference<BatchUpdateException> failure = new AtomicReference<>();
        RunReport report = guard.run(policy().maxRowsChanged(5000).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    PreparedStatement insert =
                            connection.prepareStatement("INSERT INTO audit_log (id, note) VALUES (?, ?)")) {
                addBatchWithADuplicateKey(insert);
                insert.executeBatch();
            } catch (BatchUpdateException e) {
                failure.set(e);
                throw e;
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.FAILED);
        long reportedByDriver = Arrays.stream(failure.get().getUpdateCounts())
                .filter(count -> count > 0)
                .count();
        assertThat(report.rowsChanged("audit_log", Operation.INSERT)).isEqualTo(reportedByDriver);
        assertThat(invoices.snapshot("audit_log")).isEqualTo(before);
    }

    /** Five entries for {@code INSERT INTO audit_log (id, note) VALUES (?, ?)}, the fourth a duplicate key. */
    static void addBatchWithADuplicateKey(PreparedStatement insert) throws SQLException {
        for (long id : new long[] {1, 2, 3, 2, 5}) {
            insert.setLong(1, id);
            insert.setString(2, "entry " + id);
            insert.addBatch();
        }
    }

    /**
     * A batch with a duplicate key that the job catches, then commits what took effect; the driver's counts of the
     * failure are kept.
     */
    private RunReport batchFailingPartWayThatTheJobCommits(GuardPolicy policy, AtomicReference<int[]> counts) {
        return guard.run(policy, () -> {
            try (Connection connection = guarded.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO audit_log (id, note) VALUES (?, ?)")) {
                    addBatchWithADuplicateKey(insert);
                    insert.executeBatch();
                } catch (BatchUpdateException partWay) {
                    counts.set(partWay.getUpdateCounts());
                }
                connection.commit(); // PostgreSQL: the failure aborted the transaction, this rolls back
            }
        });
    }

    @Test
    void aBatchFailingPartWayWhoseEntriesTheDriverAllReportsFailedIsCountedALowerBound() throws SQLException {
        AtomicReference<int[]> counts = new AtomicReference<>();
        RunReport report = batchFailingPartWayThatTheJobCommits(
                policy().maxRowsChanged(5000).build(), counts);

        assertThat(report.outcome()).as(report.summary()).isEqualTo(RunOutcome.SUCCEEDED);
        long committed = invoices.count("audit_log", "");
        long counted = report.rowsChanged("audit_log", Operation.INSERT);
        boolean noEntryReported = Arrays.stream(counts.get()).allMatch(c -> c == Statement.EXECUTE_FAILED);
        if (noEntryReported) {
            // PostgreSQL, MariaDB: every entry -3, also where some took effect (MariaDB with server-side prepared
            // statements commits 4 rows here): the count is flagged as a lower bound, not taken as exact
            assertThat(report.rowCountIsLowerBound()).isTrue();
            assertThat(counted).isLessThanOrEqualTo(committed);
        } else {
            // H2: -3 for the duplicate alone, a count for each other entry
            assertThat(report.rowCountIsLowerBound()).isFalse();
            assertThat(counted).isEqualTo(committed).isEqualTo(4);
        }

        invoices.reset(INVOICES);
        guard = JobGuard.builder().build();
        RunReport strict = batchFailingPartWayThatTheJobCommits(
                policy().maxRowsChanged(5000).tripOnUnknownRowCount(true).build(), counts);
        if (noEntryReported) {
            assertThat(strict.outcome()).as(strict.summary()).isEqualTo(RunOutcome.TRIPPED);
            assertThat(strict.trip().orElseThrow().reason()).isEqualTo(TripReason.UNKNOWN_ROW_COUNT);
            assertThat(invoices.count("audit_log", "")).as("nothing committed").isZero();
        } else {
            assertThat(strict.outcome()).as(strict.summary()).isEqualTo(RunOutcome.SUCCEEDED);
        }
    }

    @Test
    void aCallableStatementIsCountedAsTheDriverReportsIt() throws SQLException {
        String call = "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND id <= ?";
        if (database() == TestDatabase.MARIADB) {
            // Connector/J only takes {call ...} here; MySQL reports the count of the procedure's last statement
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP PROCEDURE IF EXISTS cancel_up_to");
                statement.execute("CREATE PROCEDURE cancel_up_to(IN up_to BIGINT) UPDATE invoices"
                        + " SET status = 'CANCELLED' WHERE status = 'OPEN' AND id <= up_to");
            }
            call = "{call cancel_up_to(?)}";
        }
        String sql = call;
        AtomicLong reportedToJob = new AtomicLong();
        RunReport report = guard.run(policy().maxRowsChanged(5000).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    CallableStatement callable = connection.prepareCall(sql)) {
                callable.setLong(1, 50);
                reportedToJob.set(callable.executeUpdate());
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.cancelled()).isEqualTo(40);
        assertThat(report.rowsChanged()).isEqualTo(reportedToJob.get()).isEqualTo(40);
    }

    @Test
    void rowsReturnedByAWriteAreCountedAndHandedToTheJob() throws SQLException {
        assumeTrue(database().supportsReturning(), "no RETURNING clause");
        List<Long> idsSeenByJob = new ArrayList<>();
        RunReport report = guard.run(policy().maxRowsChanged(5000).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet deleted = statement.executeQuery(
                            "DELETE FROM invoices WHERE status = 'PAID' AND id <= 50 RETURNING id")) {
                while (deleted.next()) {
                    idsSeenByJob.add(deleted.getLong(1));
                }
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(idsSeenByJob).containsExactlyInAnyOrder(5L, 10L, 15L, 20L, 25L, 30L, 35L, 40L, 45L, 50L);
        assertThat(report.rowsChanged("invoices", Operation.DELETE)).isEqualTo(10);
        assertThat(invoices.count("invoices", "")).isEqualTo(INVOICES - 10);
    }

    @Test
    void aWriteReturningMoreRowsThanTheLimitTripsAndIsRolledBack() throws SQLException {
        assumeTrue(database().supportsReturning(), "no RETURNING clause");
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().maxRowsPerStatement(50).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                statement
                        .executeQuery("DELETE FROM invoices WHERE status = 'OPEN' RETURNING id")
                        .close();
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().figure()).isEqualTo(OPEN_INVOICES);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void anUpdateThatSetsTheSameValueCountsTheMatchedRows() throws SQLException {
        RunReport report = guard.run(policy().build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE invoices SET status = 'PAID' WHERE status = 'PAID'");
            }
        });

        // PostgreSQL and H2 count an unchanged row; MariaDB's driver asks for found rows by default.
        assertThat(report.rowsChanged("invoices", Operation.UPDATE)).isEqualTo(INVOICES - OPEN_INVOICES);
    }

    // ---- limits: no statement over a limit is ever committed ----

    @Test
    void anUnboundedAutoCommitUpdateOverTenThousandRowsTripsAndLeavesEveryRowAsItWas() throws SQLException {
        invoices.reset(10_000);
        List<String> before = invoices.snapshot("invoices");
        AtomicReference<SQLException> seenByJob = new AtomicReference<>();

        RunReport report = guard.run(policy().maxRowsChanged(100).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                assertThat(connection.getAutoCommit()).isTrue();
                statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED'");
            } catch (SQLException e) {
                seenByJob.set(e);
                throw e;
            }
        });

        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        assertThat(invoices.cancelled()).isZero();
        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.MAX_ROWS_CHANGED);
        assertThat(report.trip().orElseThrow().figure()).isEqualTo(10_000);
        assertThat((Throwable) seenByJob.get())
                .isInstanceOf(RowLimitExceededException.class)
                .hasMessageContaining("cancel-overdue-invoices")
                .hasMessageContaining("maxRowsChanged=100")
                .hasMessageContaining("10000 rows")
                .hasMessageContaining("UPDATE invoices SET status = 'CANCELLED'");
    }

    @Test
    void statementsWithinTheLimitCommitAndTheOneThatCrossesItDoesNot() throws SQLException {
        RunReport report = guard.run(policy().maxRowsChanged(150).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate(CANCEL_ALL_OPEN + " AND id <= 100");
                statement.executeUpdate(CANCEL_ALL_OPEN + " AND id <= 200");
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.cancelled()).isEqualTo(80);
    }

    /** One invoice changed per execution, by primary key. */
    static final String RAISE_ONE = "UPDATE invoices SET amount = amount + 1 WHERE id = ?";

    /** Invoices {@link #RAISE_ONE} changed: its amounts are the id plus 0.25 until then. */
    long raised() throws SQLException {
        return invoices.count("invoices", "amount <> id + 0.25");
    }

    @Test
    void aPreparedUpdateExecutedAgainAndAgainTripsOnTheExecutionThatCrossesTheLimitAndKeepsWhatCommittedBefore()
            throws SQLException {
        List<Integer> counts = new ArrayList<>();
        RunReport report = guard.run(policy().maxRowsChanged(25).build(), () -> {
            try (Connection connection = guarded.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement raise = connection.prepareStatement(RAISE_ONE)) {
                    for (int id = 1; id <= 40; id++) {
                        raise.setInt(1, id);
                        counts.add(raise.executeUpdate());
                        if (id % 10 == 0) {
                            connection.commit();
                        }
                    }
                }
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().figure()).isEqualTo(26);
        assertThat(counts).hasSize(25).containsOnly(1);
        assertThat(report.rowsCommitted()).isEqualTo(20);
        assertThat(raised()).isEqualTo(20); // the open transaction's 5 rows and the 26th went back
        assertThat(invoices.count("invoices", "id <= 20 AND amount = id + 1.25"))
                .isEqualTo(20);
    }

    @Test
    void aPreparedAutoCommitUpdateExecutedAgainAndAgainCommitsEachExecutionUntilTheOneThatCrossesTheLimit()
            throws SQLException {
        RunReport report = guard.run(policy().maxRowsChanged(25).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    PreparedStatement raise = connection.prepareStatement(RAISE_ONE)) {
                for (int id = 1; id <= 40; id++) {
                    raise.setInt(1, id);
                    raise.executeUpdate();
                }
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.rowsChanged()).isEqualTo(26);
        assertThat(report.rowsCommitted()).isEqualTo(25);
        assertThat(raised()).isEqualTo(25);
    }

    @Test
    void aPreparedStatementKeptAcrossRunsCountsInEachRunAndIsLeftAloneBetweenThem() throws SQLException {
        try (Connection kept = guarded.getConnection();
                PreparedStatement raise = kept.prepareStatement(RAISE_ONE)) {
            RunReport first = guard.run(policy().maxRowsChanged(100).build(), () -> {
                for (int id = 1; id <= 10; id++) {
                    raise.setInt(1, id);
                    raise.executeUpdate();
                }
            });
            for (int id = 11; id <= 20; id++) { // no run: counted nowhere, never refused
                raise.setInt(1, id);
                assertThat(raise.executeUpdate()).isEqualTo(1);
            }
            RunReport second = guard.run(policy().maxRowsChanged(5).build(), () -> {
                for (int id = 21; id <= 30; id++) {
                    raise.setInt(1, id);
                    raise.executeUpdate();
                }
            });

            assertThat(first.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(first.rowsChanged()).isEqualTo(10);
            assertThat(second.outcome()).isEqualTo(RunOutcome.TRIPPED);
            assertThat(second.rowsChanged()).isEqualTo(6);
            assertThat(second.trip().orElseThrow().figure()).isEqualTo(6);
        }
        assertThat(raised()).isEqualTo(25); // 10, then 10 outside a run, then 5 before the trip
        assertThat(invoices.count("invoices", "id > 25 AND amount <> id + 0.25"))
                .isZero();
    }

    @Test
    void maxRowsPerStatementTripsTheStatementThatCrossesIt() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().maxRowsPerStatement(100).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    PreparedStatement statement = connection.prepareStatement(CANCEL_ALL_OPEN)) {
                statement.executeUpdate();
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.MAX_ROWS_PER_STATEMENT);
        assertThat(report.trip().orElseThrow().table()).isEqualTo("invoices");
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aTableLimitTripsOnItsTableOnly() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().tableLimit("INVOICES", 10).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                for (int id = 1; id <= 20; id++) {
                    statement.executeUpdate("INSERT INTO audit_log (id, note) VALUES (" + id + ", 'ok')");
                }
                statement.executeUpdate(CANCEL_ALL_OPEN + " AND id <= 30");
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.TABLE_LIMIT);
        assertThat(report.trip().orElseThrow().figure()).isEqualTo(24);
        assertThat(invoices.count("audit_log", "")).isEqualTo(20);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aTableLimitNamedWithItsSchemaAppliesToStatementsThatLeaveTheSchemaOut() throws SQLException {
        String schema;
        try (Connection connection = pool.getConnection()) {
            schema = connection.getSchema() != null ? connection.getSchema() : connection.getCatalog();
        }
        List<String> before = invoices.snapshot("invoices");
        RunReport report =
                guard.run(policy().tableLimit(schema + ".invoices", 10).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.executeUpdate(CANCEL_ALL_OPEN + " AND id <= 30");
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.TABLE_LIMIT);
        assertThat(report.trip().orElseThrow().limit()).isEqualTo(10);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aJobThatCatchesTheTripAndCommitsCommitsNothing() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        AtomicReference<SQLException> commitFailure = new AtomicReference<>();
        RunReport report = guard.run(policy().maxRowsChanged(100).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.executeUpdate(CANCEL_ALL_OPEN + " AND id <= 50");
                try {
                    statement.executeUpdate(CANCEL_ALL_OPEN);
                } catch (RowLimitExceededException ignoredByTheJob) {
                    // a careless job carries on
                }
                try {
                    statement.executeUpdate("INSERT INTO audit_log (id, note) VALUES (1, 'after the trip')");
                } catch (RowLimitExceededException refused) {
                    // later writes are refused too
                }
                try {
                    connection.commit();
                } catch (SQLException e) {
                    commitFailure.set(e);
                }
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat((Throwable) commitFailure.get())
                .isInstanceOf(RowLimitExceededException.class)
                .hasMessageContaining("Commit refused");
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        assertThat(invoices.count("audit_log", "")).isZero();
    }

    @Test
    void aTransactionOpenedAroundTheRunCannotCommitAfterATrip() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        try (Connection connection = guarded.getConnection()) {
            connection.setAutoCommit(false);
            RunReport report = guard.run(policy().maxRowsChanged(10).build(), () -> {
                try (Statement statement = connection.createStatement()) {
                    statement.executeUpdate(CANCEL_ALL_OPEN);
                } catch (RowLimitExceededException swallowed) {
                    // the job hides the trip from the transaction manager around it
                }
            });
            assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
            assertThatThrownBy(connection::commit).isInstanceOf(RowLimitExceededException.class);
            connection.rollback();
        }
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aConnectionObtainedBeforeTheRunIsGuardedFromItsFirstStatementInTheRun() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        try (Connection early = guarded.getConnection();
                PreparedStatement preparedEarly = early.prepareStatement(CANCEL_ALL_OPEN)) {
            RunReport report = guard.run(policy().maxRowsChanged(100).build(), preparedEarly::executeUpdate);
            assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
            assertThat(report.rowsChanged()).isEqualTo(OPEN_INVOICES);
            assertThat(early.getAutoCommit()).isTrue();
        }
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void truncateOfALimitedTableTripsBeforeItRuns() throws SQLException {
        RunReport report = guard.run(policy().tableLimit("invoices", 100).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("TRUNCATE TABLE invoices");
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.WHOLE_TABLE_CHANGE);
        assertThat(invoices.count("invoices", "")).isEqualTo(INVOICES);
    }

    @Test
    void dropTableOfALimitedTableTripsBeforeItRuns() throws SQLException {
        RunReport report = guard.run(policy().maxRowsPerStatement(10).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE invoices");
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.WHOLE_TABLE_CHANGE);
        assertThat(invoices.count("invoices", "")).isEqualTo(INVOICES);
    }

    @Test
    void truncateRunsWhenThePolicyAllowsIt() throws SQLException {
        RunReport report =
                guard.run(policy().maxRowsChanged(100).allowTruncate(true).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.execute("TRUNCATE TABLE audit_log");
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.count("invoices", "")).isEqualTo(INVOICES);
    }

    // ---- modes ----

    @Test
    void atomicRunCommitsNothingWhenTheJobFailsAfterCommitting() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().atomic(true).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.executeUpdate(CANCEL_ALL_OPEN + " AND id <= 100");
                connection.commit();
                statement.executeUpdate("DELETE FROM invoices WHERE id > 900");
                connection.commit();
            }
            throw new IllegalStateException("the job fails after committing twice");
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void atomicRunCommitsEverythingWhenTheJobSucceeds() throws SQLException {
        RunReport report = guard.run(policy().atomic(true).build(), () -> {
            try (Connection first = guarded.getConnection();
                    Connection second = guarded.getConnection();
                    Statement statement = first.createStatement();
                    Statement other = second.createStatement()) {
                statement.executeUpdate(CANCEL_ALL_OPEN + " AND id <= 100");
                other.executeUpdate("INSERT INTO audit_log (id, note) VALUES (1, 'atomic')");
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.cancelled()).isEqualTo(80);
        assertThat(invoices.count("audit_log", "")).isEqualTo(1);
    }

    @Test
    void aJobRollbackInsideAnAtomicRunReturnsToItsLastCommit() throws SQLException {
        RunReport report = guard.run(policy().atomic(true).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                statement.executeUpdate(CANCEL_ALL_OPEN + " AND id <= 100");
                connection.commit();
                statement.executeUpdate("DELETE FROM invoices");
                connection.rollback();
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.cancelled()).isEqualTo(80);
        assertThat(invoices.count("invoices", "")).isEqualTo(INVOICES);
    }

    @Test
    void dryRunLeavesTheDatabaseExactlyAsItWas() throws SQLException {
        List<String> invoicesBefore = invoices.snapshot("invoices");
        List<String> auditBefore = invoices.snapshot("audit_log");

        RunReport report = guard.run(policy().mode(GuardMode.DRY_RUN).build(), () -> {
            try (Connection manual = guarded.getConnection();
                    Statement statement = manual.createStatement()) {
                manual.setAutoCommit(false);
                statement.executeUpdate(CANCEL_ALL_OPEN + " AND id <= 100");
                manual.commit();
                statement.executeUpdate("DELETE FROM invoices WHERE status = 'PAID'");
                manual.commit();
                manual.setAutoCommit(true);
            }
            try (Connection second = guarded.getConnection();
                    PreparedStatement insert =
                            second.prepareStatement("INSERT INTO audit_log (id, note) VALUES (?, ?)")) {
                second.setAutoCommit(false);
                for (int id = 1; id <= 3; id++) {
                    insert.setInt(1, id);
                    insert.setString(2, "dry " + id);
                    insert.addBatch();
                }
                insert.executeBatch();
                second.commit();
            }
            try (Connection autoCommit = guarded.getConnection();
                    Statement statement = autoCommit.createStatement()) {
                // another table: the first connection's uncommitted writes hold their locks until the run ends
                assertThat(autoCommit.getAutoCommit()).isTrue();
                statement.executeUpdate("INSERT INTO audit_log (id, note) VALUES (10, 'auto'), (11, 'auto')");
                statement.executeUpdate("UPDATE audit_log SET note = 'seen' WHERE id >= 10");
                try (ResultSet seen = statement.executeQuery("SELECT COUNT(*) FROM audit_log WHERE note = 'seen'")) {
                    seen.next();
                    assertThat(seen.getLong(1))
                            .as("the job sees its own writes")
                            .isEqualTo(2);
                }
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.isDryRun()).isTrue();
        assertThat(invoices.snapshot("invoices")).isEqualTo(invoicesBefore);
        assertThat(invoices.snapshot("audit_log")).isEqualTo(auditBefore);
        assertThat(report.rowsChanged("invoices", Operation.UPDATE)).isEqualTo(80);
        assertThat(report.rowsChanged("invoices", Operation.DELETE)).isEqualTo(200);
        assertThat(report.rowsChanged("audit_log", Operation.INSERT)).isEqualTo(3 + 2);
        assertThat(report.rowsChanged("audit_log", Operation.UPDATE)).isEqualTo(2);
        try (Connection afterwards = pool.getConnection()) {
            assertThat(afterwards.getAutoCommit())
                    .as("pooled connections come back in auto-commit")
                    .isTrue();
        }
    }

    @Test
    void dryRunStillTripsOnItsLimitsAndLeavesNothing() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        RunReport report =
                guard.run(policy().mode(GuardMode.DRY_RUN).maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.executeUpdate(CANCEL_ALL_OPEN);
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void ddlThatWouldCommitImplicitlyIsRefusedInADryRunAndNothingLeaks() throws SQLException {
        assumeTrue(database() != TestDatabase.POSTGRESQL, "PostgreSQL DDL is transactional");
        List<String> before = invoices.snapshot("invoices");
        AtomicReference<SQLException> refused = new AtomicReference<>();
        RunReport report = guard.run(policy().mode(GuardMode.DRY_RUN).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM invoices WHERE id <= 100");
                try {
                    statement.execute("CREATE TABLE scratch (id INT)");
                } catch (StatementRefusedException e) {
                    refused.set(e);
                }
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat((Throwable) refused.get())
                .hasMessageContaining("CREATE TABLE scratch")
                .hasMessageContaining("dry run");
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        assertThatThrownBy(() -> invoices.count("scratch", "")).isInstanceOf(SQLException.class);
    }

    @Test
    void transactionControlSentAsSqlThatWouldEndADryOrAtomicRunsTransactionIsRefusedAndNothingLeaks()
            throws SQLException {
        List<String> endings = new ArrayList<>(List.of("COMMIT", "ROLLBACK", "START TRANSACTION"));
        if (database() == TestDatabase.MARIADB) {
            endings.add("SET autocommit = 1");
        } else if (database() == TestDatabase.H2) {
            endings.add("SET AUTOCOMMIT TRUE");
        } else {
            endings.add("END");
        }
        for (GuardPolicy policy : List.of(
                policy().mode(GuardMode.DRY_RUN).build(), policy().atomic(true).build())) {
            List<String> before = invoices.snapshot("invoices");
            List<String> refused = new ArrayList<>();
            RunReport report = guard.run(policy, () -> {
                try (Connection connection = guarded.getConnection();
                        Statement statement = connection.createStatement()) {
                    statement.executeUpdate("DELETE FROM invoices WHERE id <= 100");
                    statement.execute("SAVEPOINT before_cancel");
                    statement.executeUpdate(CANCEL_ALL_OPEN);
                    statement.execute("ROLLBACK TO SAVEPOINT before_cancel");
                    for (String ending : endings) {
                        try {
                            statement.execute(ending);
                        } catch (StatementRefusedException e) {
                            refused.add(e.getMessage());
                        }
                    }
                }
                if (policy.atomic()) {
                    throw new IllegalStateException("the job fails: the atomic run must leave nothing");
                }
            });

            assertThat(report.outcome()).isIn(RunOutcome.SUCCEEDED, RunOutcome.FAILED);
            assertThat(refused).hasSize(endings.size());
            assertThat(refused.get(0))
                    .contains("cancel-overdue-invoices", "refused COMMIT sent as SQL", "call Connection.commit()");
            assertThat(invoices.snapshot("invoices")).as(policy.toString()).isEqualTo(before);
        }
    }

    @Test
    void transactionalDdlRunsInADryRunAndIsRolledBack() throws SQLException {
        assumeTrue(database() == TestDatabase.POSTGRESQL, "DDL commits implicitly here");
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().mode(GuardMode.DRY_RUN).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM invoices WHERE id <= 100");
                statement.execute("CREATE TABLE scratch (id INT)");
                statement.execute("ALTER TABLE invoices ADD COLUMN note VARCHAR(10)");
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        assertThatThrownBy(() -> invoices.count("scratch", "")).isInstanceOf(SQLException.class);
    }

    @Test
    void aTemporaryTableCanBeUsedInADryRun() throws SQLException {
        String create = database() == TestDatabase.H2
                ? "CREATE LOCAL TEMPORARY TABLE work_ids (id BIGINT) TRANSACTIONAL"
                : "CREATE TEMPORARY TABLE work_ids (id BIGINT)";
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().mode(GuardMode.DRY_RUN).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("DELETE FROM invoices WHERE id <= 100");
                statement.execute(create);
                statement.executeUpdate("INSERT INTO work_ids (id) SELECT id FROM invoices WHERE status = 'OPEN'");
                statement.executeUpdate(
                        "UPDATE invoices SET status = 'CANCELLED' WHERE id IN (SELECT id FROM work_ids)");
                if (database() == TestDatabase.MARIADB) {
                    statement.execute("DROP TEMPORARY TABLE work_ids");
                }
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.rowsChanged("invoices", Operation.UPDATE)).isEqualTo(OPEN_INVOICES - 80);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void observeModeKeepsTheWritesAndReportsWhatWouldHaveTripped() throws SQLException {
        RunReport report =
                guard.run(policy().mode(GuardMode.OBSERVE).maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.executeUpdate(CANCEL_ALL_OPEN);
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.cancelled()).isEqualTo(OPEN_INVOICES);
        assertThat(report.trip()).isEmpty();
        assertThat(report.wouldTrips())
                .singleElement()
                .satisfies(would -> assertThat(would.reason()).isEqualTo(TripReason.MAX_ROWS_CHANGED));
    }

    // ---- what the guard leaves alone ----

    @Test
    void connectionsUsedOutsideARunAreUntouched() throws SQLException {
        try (Connection connection = guarded.getConnection();
                Statement statement = connection.createStatement()) {
            assertThat(connection.getAutoCommit()).isTrue();
            assertThat(statement.executeUpdate(CANCEL_ALL_OPEN)).isEqualTo(OPEN_INVOICES);
            connection.setAutoCommit(false);
            statement.executeUpdate("DELETE FROM invoices");
            connection.rollback();
            connection.setAutoCommit(true);
            assertThat(connection.unwrap(Connection.class)).isSameAs(connection);
        }
        assertThat(invoices.cancelled()).isEqualTo(OPEN_INVOICES);
        assertThat(invoices.count("invoices", "")).isEqualTo(INVOICES);
        assertThat(guarded.unwrap(HikariDataSource.class)).isSameAs(pool);
        assertThat(guarded.isWrapperFor(HikariDataSource.class)).isTrue();
    }

    @Test
    void writesToIgnoredTablesAreNotCountedNorRolledBack() throws SQLException {
        RunReport report = guard.run(policy().maxRowsChanged(5).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                for (int id = 1; id <= 10; id++) {
                    statement.executeUpdate("INSERT INTO jobguard_test_marker (id, note) VALUES (" + id + ", 'x')");
                }
                statement.executeUpdate(CANCEL_ALL_OPEN);
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.rowsByTable()).doesNotContainKey("jobguard_test_marker");
        assertThat(report.rowsChanged()).isEqualTo(OPEN_INVOICES);
        assertThat(invoices.count("jobguard_test_marker", "")).isEqualTo(10);
        assertThat(invoices.cancelled()).isZero();
    }

    // ---- threads ----

    @Test
    void concurrentRunsOnSeveralThreadsKeepSeparateCounts() throws Exception {
        int threads = 4;
        ExecutorService executor = Executors.newFixedThreadPool(threads);
        CountDownLatch start = new CountDownLatch(1);
        try {
            List<Future<RunReport>> reports = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int worker = t;
                reports.add(executor.submit(() -> {
                    start.await();
                    return guard.run(GuardPolicy.builder("worker-" + worker).build(), () -> {
                        try (Connection connection = guarded.getConnection();
                                PreparedStatement statement = connection.prepareStatement(
                                        "UPDATE invoices SET amount = amount + 1 WHERE id = ?")) {
                            for (int i = 1; i <= (worker + 1) * 10; i++) {
                                statement.setLong(1, worker * 100L + i);
                                statement.executeUpdate();
                            }
                        }
                    });
                }));
            }
            start.countDown();
            for (int t = 0; t < threads; t++) {
                RunReport report = reports.get(t).get(60, TimeUnit.SECONDS);
                assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
                assertThat(report.jobName()).isEqualTo("worker-" + t);
                assertThat(report.rowsChanged()).isEqualTo((t + 1) * 10L);
            }
        } finally {
            executor.shutdownNow();
        }
    }

    @Test
    void writesOnAHelperThreadCountOnlyWhenTheRunIsCarriedThere() throws Exception {
        ExecutorService executor = Executors.newSingleThreadExecutor();
        try {
            RunReport report = guard.run(policy().maxRowsChanged(5000).build(), () -> {
                GuardContext context = GuardContext.current();
                CompletableFuture.runAsync(
                                () -> update("UPDATE invoices SET amount = 1 WHERE id <= 30"), context.wrap(executor))
                        .get();
                executor.submit(context.wrap(() -> update("UPDATE invoices SET amount = 2 WHERE id <= 5")))
                        .get();
                executor.submit(() -> update("UPDATE invoices SET amount = 3 WHERE id <= 7"))
                        .get();
            });

            assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(report.rowsChanged()).isEqualTo(30 + 5);
        } finally {
            executor.shutdownNow();
        }
    }

    private void update(String sql) {
        try (Connection connection = guarded.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void autoCommitSwitchedOffOnTheUnwrappedConnectionIsSeen() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().maxRowsChanged(100).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                connection.setAutoCommit(true);
                statement.executeUpdate("UPDATE invoices SET status = 'X' WHERE id = 1");
                connection.unwrap(Connection.class).setAutoCommit(false);
                try {
                    statement.executeUpdate(CANCEL_ALL_OPEN);
                } catch (SQLException expected) {
                    // the trip
                }
                connection.commit(); // refused: the run tripped
            } catch (SQLException refused) {
                // the refused commit
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.snapshot("invoices").stream()
                        .filter(row -> row.contains("CANCELLED"))
                        .count())
                .isZero();
        assertThat(invoices.snapshot("invoices")).hasSize(before.size());
    }

    // ---- writes that took other paths than executeUpdate/execute/executeBatch ----

    @Test
    void aWriteWithoutReturningSentThroughExecuteQueryCannotCommitUncounted() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().maxRowsChanged(100).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                connection.setAutoCommit(false);
                try {
                    statement.executeQuery(CANCEL_ALL_OPEN).close();
                } catch (SQLException ignoredByTheJob) {
                    // pgjdbc runs the UPDATE and then says "No results were returned by the query"
                }
                connection.commit();
            }
        });

        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        assertThat(report.rowsChanged()).isZero();
    }

    @Test
    void aPreparedWriteWithoutReturningSentThroughExecuteQueryCannotCommitUncounted() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().maxRowsChanged(100).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    PreparedStatement statement = connection.prepareStatement(CANCEL_ALL_OPEN)) {
                try {
                    statement.executeQuery().close();
                } catch (SQLException ignoredByTheJob) {
                    // pgjdbc runs the UPDATE and then says "No results were returned by the query"
                }
            }
        });

        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        assertThat(report.rowsChanged()).isZero();
    }

    @Test
    void rowsChangedThroughAnUpdatableResultSetCannotEscapeTheLimit() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().maxRowsChanged(100).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement =
                            connection.createStatement(ResultSet.TYPE_FORWARD_ONLY, ResultSet.CONCUR_UPDATABLE);
                    ResultSet open = statement.executeQuery("SELECT id, status FROM invoices WHERE status = 'OPEN'")) {
                while (open.next()) {
                    open.updateString("status", "CANCELLED");
                    open.updateRow();
                }
            }
        });

        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        assertThat(report.outcome()).isNotEqualTo(RunOutcome.SUCCEEDED);
    }

    @Test
    void aTableLimitAppliesToTheTableAMultiTableUpdateOrDeleteChanges() throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("INSERT INTO audit_log (id, note) VALUES (1, 'OPEN')");
        }
        List<String> sqls = switch (database()) {
            case MARIADB ->
                List.of(
                        "UPDATE audit_log a JOIN invoices i ON i.status = a.note SET i.status = 'CANCELLED'",
                        "UPDATE audit_log a, invoices i SET i.status = 'CANCELLED' WHERE i.status = a.note",
                        "UPDATE audit_log, invoices SET invoices.status = 'CANCELLED' WHERE invoices.status = audit_log.note",
                        "DELETE i FROM audit_log a JOIN invoices i ON i.status = a.note",
                        "DELETE FROM i USING audit_log a JOIN invoices i ON i.status = a.note");
            case POSTGRESQL ->
                List.of(
                        "UPDATE invoices i SET status = 'CANCELLED' FROM audit_log a WHERE i.status = a.note",
                        "DELETE FROM invoices i USING audit_log a WHERE i.status = a.note",
                        "WITH a AS (SELECT note FROM audit_log) UPDATE invoices SET status = 'CANCELLED'"
                                + " WHERE status IN (SELECT note FROM a)",
                        "MERGE INTO invoices i USING audit_log a ON i.status = a.note"
                                + " WHEN MATCHED THEN UPDATE SET status = 'CANCELLED'");
            case H2 ->
                List.of(
                        "MERGE INTO invoices i USING audit_log a ON i.status = a.note"
                                + " WHEN MATCHED THEN UPDATE SET status = 'CANCELLED'",
                        "UPDATE invoices i SET status = 'CANCELLED' WHERE EXISTS"
                                + " (SELECT 1 FROM audit_log a WHERE a.note = i.status)");
        };
        for (String sql : sqls) {
            List<String> before = invoices.snapshot("invoices");
            RunReport report = guard.run(policy().tableLimit("invoices", 10).build(), () -> {
                try (Connection connection = guarded.getConnection();
                        Statement statement = connection.createStatement()) {
                    statement.executeUpdate(sql);
                }
            });
            assertThat(invoices.snapshot("invoices")).as(sql).isEqualTo(before);
            assertThat(report.outcome()).as(sql).isEqualTo(RunOutcome.TRIPPED);
            guard = JobGuard.builder().build();
        }
    }

    @Test
    void aWriteReturningRowsSentThroughExecuteUpdateOrExecuteCannotCommitUncounted() throws SQLException {
        assumeTrue(database().supportsReturning(), "no RETURNING clause");
        List<String> sqls = new ArrayList<>(List.of(
                "DELETE FROM invoices WHERE status = 'OPEN' RETURNING id",
                "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' RETURNING id"));
        if (database() == TestDatabase.POSTGRESQL) {
            sqls.add("WITH d AS (DELETE FROM invoices WHERE status = 'OPEN' RETURNING id) SELECT count(*) FROM d");
            sqls.add("WITH u AS (UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' RETURNING id)"
                    + " SELECT count(*) FROM u");
        }
        List<String> escaped = new ArrayList<>();
        for (String sql : sqls) {
            for (int way = 0; way < 4; way++) {
                int how = way;
                List<String> before = invoices.snapshot("invoices");
                guard.run(policy().maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement();
                            PreparedStatement prepared = connection.prepareStatement(sql)) {
                        connection.setAutoCommit(false);
                        try {
                            switch (how) {
                                case 0 -> statement.executeUpdate(sql);
                                case 1 -> statement.execute(sql);
                                case 2 -> prepared.executeUpdate();
                                default -> prepared.execute();
                            }
                        } catch (SQLException ignoredByTheJob) {
                            // a careless job carries on
                        }
                        connection.commit();
                    }
                });
                if (!invoices.snapshot("invoices").equals(before)) {
                    escaped.add(how + ": " + sql);
                }
                invoices.reset(INVOICES);
                guard = JobGuard.builder().build();
            }
        }
        assertThat(escaped).isEmpty();

        AtomicLong reportedToJob = new AtomicLong();
        RunReport report = guard.run(policy().maxRowsChanged(100).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                reportedToJob.set(statement.executeUpdate(
                        "DELETE FROM invoices WHERE status = 'PAID' AND id <= 50 RETURNING id"));
            }
        });
        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(reportedToJob.get()).isEqualTo(10);
        assertThat(report.rowsChanged("invoices", Operation.DELETE)).isEqualTo(10);
        assertThat(invoices.count("invoices", "")).isEqualTo(INVOICES - 10);
    }

    @Test
    void aConnectionReachedThroughTheMetaDataIsGuarded() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().maxRowsChanged(100).build(), () -> {
            try (Connection connection = guarded.getConnection()) {
                Connection reached = connection.getMetaData().getConnection();
                try (Statement statement = reached.createStatement()) {
                    statement.executeUpdate(CANCEL_ALL_OPEN);
                }
            }
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aTableLimitAppliesToStatementsThatQuoteOrQualifyTheTable() throws SQLException {
        String schema;
        String quote;
        try (Connection connection = pool.getConnection()) {
            schema = connection.getSchema() != null ? connection.getSchema() : connection.getCatalog();
            quote = connection.getMetaData().getIdentifierQuoteString();
        }
        String table = database() == TestDatabase.H2 ? "INVOICES" : "invoices";
        for (String name : List.of(
                quote + table + quote, schema + "." + table, quote + schema + quote + "." + quote + table + quote)) {
            List<String> before = invoices.snapshot("invoices");
            RunReport report = guard.run(policy().tableLimit("invoices", 10).build(), () -> {
                try (Connection connection = guarded.getConnection();
                        Statement statement = connection.createStatement()) {
                    statement.executeUpdate("UPDATE " + name + " SET status = 'CANCELLED' WHERE status = 'OPEN'");
                }
            });
            assertThat(invoices.snapshot("invoices")).as(name).isEqualTo(before);
            assertThat(report.outcome()).as(name).isEqualTo(RunOutcome.TRIPPED);
            guard = JobGuard.builder().build();
        }
    }

    @Test
    void aStatementCreatedBeforeTheRunWithABatchAddedBeforeItIsCountedInTheRun() throws SQLException {
        List<String> before = invoices.snapshot("invoices");
        try (Connection early = guarded.getConnection();
                Statement statement = early.createStatement();
                PreparedStatement prepared = early.prepareStatement("UPDATE invoices SET status = ? WHERE id = ?")) {
            statement.addBatch(CANCEL_ALL_OPEN);
            for (int id = 1; id <= 200; id++) {
                prepared.setString(1, "CANCELLED");
                prepared.setLong(2, id);
                prepared.addBatch();
            }
            RunReport report = guard.run(policy().maxRowsChanged(100).build(), () -> {
                try {
                    prepared.executeBatch();
                } catch (SQLException expected) {
                    // the trip
                }
                statement.executeLargeBatch();
            });
            assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        }
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aBatchOfWritesReturningRowsCannotCommitUncounted() throws SQLException {
        assumeTrue(database().supportsReturning(), "no RETURNING clause");
        List<String> before = invoices.snapshot("invoices");
        RunReport report = guard.run(policy().maxRowsChanged(100).build(), () -> {
            try (Connection connection = guarded.getConnection();
                    PreparedStatement prepared = connection.prepareStatement(
                            "UPDATE invoices SET status = 'CANCELLED' WHERE id = ? AND status = 'OPEN' RETURNING id")) {
                connection.setAutoCommit(false);
                for (int id = 1; id <= 400; id++) {
                    prepared.setLong(1, id);
                    prepared.addBatch();
                }
                try {
                    prepared.executeBatch(); // pgjdbc answered 0 for every entry
                } catch (SQLException ignoredByTheJob) {
                    // a careless job carries on
                }
                connection.commit();
            }
        });
        assertThat(report.rowsChanged()).isZero();
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }
}
