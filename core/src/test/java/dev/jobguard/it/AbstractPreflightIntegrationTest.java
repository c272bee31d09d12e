package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.TripReason;
import dev.jobguard.jdbc.GuardedDataSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The preflight: a runaway UPDATE or DELETE of an enforcing or dry run is refused before it is sent. That it never ran
 * is proved with a row lock held elsewhere on a row it would change: the statement would wait on it (and the test
 * with it), the preflight's read does not.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractPreflightIntegrationTest {

    private HikariDataSource pool;
    private DataSource guarded;
    private Invoices invoices;
    private JobGuard guard;

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
    void resetTables() throws SQLException {
        invoices.reset(1000);
        guard = JobGuard.builder().build(); // a trip disables the job: a fresh state per test
    }

    private RunReport runWhileRowIsLocked(GuardPolicy policy, String sql) throws Exception {
        return whileRowIsLocked(policy, connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.setQueryTimeout(20); // had the statement run, it would wait on row 999
                statement.executeUpdate(sql);
            }
        });
    }

    @Test
    void anUpdateWithoutWhereOverThePerStatementLimitIsRefusedBeforeItRuns() throws Exception {
        RunReport report = runWhileRowIsLocked(
                GuardPolicy.builder("preflight").maxRowsPerStatement(100).build(),
                "UPDATE invoices SET status = 'CANCELLED'");

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.MAX_ROWS_PER_STATEMENT);
        assertThat(report.trip().orElseThrow().figure()).isEqualTo(101);
        assertThat(report.failure().orElseThrow().getMessage())
                .contains("Refused before execution: at least 101 rows match");
        assertThat(report.rowsChanged()).isZero();
        assertThat(invoices.cancelled()).isZero();
    }

    @Test
    void aDeleteThatWouldCrossTheRunTotalIsRefusedBeforeItRunsAndEarlierCommitsStay() throws Exception {
        RunReport report =
                guard.run(GuardPolicy.builder("preflight").maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 80");
                        statement.executeUpdate("DELETE FROM invoices WHERE id > 80 AND id <= 130");
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.MAX_ROWS_CHANGED);
        assertThat(report.failure().orElseThrow().getMessage()).contains("Refused before execution: at least 21 rows");
        assertThat(invoices.cancelled())
                .as("auto-commit: the first statement stays")
                .isEqualTo(80);
        assertThat(invoices.count("invoices", "")).as("the DELETE never ran").isEqualTo(1000);
    }

    @Test
    void aPreparedStatementIsCheckedAtEachExecutionWithItsParameters() throws Exception {
        RunReport report = guard.run(
                GuardPolicy.builder("preflight").tableLimit("invoices", 300).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            PreparedStatement update = connection.prepareStatement(
                                    "UPDATE invoices SET status = 'CANCELLED' WHERE id <= ? AND status = ?")) {
                        update.setInt(1, 100);
                        update.setString(2, "OPEN");
                        assertThat(update.executeUpdate()).isEqualTo(80);
                        update.setInt(1, 1000);
                        update.executeUpdate();
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.TABLE_LIMIT);
        assertThat(report.failure().orElseThrow().getMessage()).contains("Refused before execution");
        assertThat(invoices.cancelled()).isEqualTo(80);
    }

    @Test
    void inAManualCommitTransactionTheRefusalRollsBackTheTransaction() throws Exception {
        RunReport report = guard.run(
                GuardPolicy.builder("preflight").maxRowsPerStatement(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        connection.setAutoCommit(false);
                        statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 50");
                        statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED'");
                        connection.commit();
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.cancelled()).isZero();
    }

    @Test
    void aDryRunRefusesARunawayStatementBeforeItRunsToo() throws Exception {
        RunReport report = runWhileRowIsLocked(
                GuardPolicy.builder("preflight")
                        .maxRowsPerStatement(100)
                        .mode(GuardMode.DRY_RUN)
                        .build(),
                "DELETE FROM invoices");

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.failure().orElseThrow().getMessage()).contains("Refused before execution");
        assertThat(invoices.count("invoices", "")).isEqualTo(1000);
    }

    @Test
    void aStatementWithinItsLimitRunsNormally() throws Exception {
        RunReport report = guard.run(
                GuardPolicy.builder("preflight").maxRowsPerStatement(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        assertThat(statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 100"))
                                .isEqualTo(100);
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.cancelled()).isEqualTo(100);
    }

    @Test
    void withPreflightOffTheStatementRunsAndTripsAfterwardsAsBefore() throws Exception {
        RunReport report = guard.run(
                GuardPolicy.builder("preflight")
                        .maxRowsPerStatement(100)
                        .preflight(false)
                        .build(),
                () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED'");
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().figure()).isEqualTo(1000);
        assertThat(report.failure().orElseThrow().getMessage()).doesNotContain("Refused before execution");
        assertThat(invoices.cancelled()).isZero();
    }

    @Test
    void anObservedRunIsNotPreflightedItsStatementRunsAndIsAWouldTrip() throws Exception {
        RunReport report = guard.run(
                GuardPolicy.builder("preflight")
                        .maxRowsPerStatement(100)
                        .mode(GuardMode.OBSERVE)
                        .build(),
                () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 200");
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.wouldTrips()).hasSize(1);
        assertThat(invoices.cancelled()).isEqualTo(200);
    }

    private void createArchive(int rows) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            statement.execute("DROP TABLE IF EXISTS invoice_archive");
            statement.execute("CREATE TABLE invoice_archive (id BIGINT PRIMARY KEY, amount DECIMAL(12,2))");
            if (rows > 0) {
                statement.execute(
                        "INSERT INTO invoice_archive (id, amount) SELECT id, 0 FROM invoices WHERE id <= " + rows);
            }
        }
    }

    /** Runs the statement while another transaction holds a new archive row with key 999, which it would wait on. */
    private RunReport runWhileArchiveKeyIsTaken(GuardPolicy policy, String sql) throws Exception {
        try (Connection locker = pool.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement statement = locker.createStatement()) {
                statement.executeUpdate("INSERT INTO invoice_archive (id, amount) VALUES (999, 0)");
            }
            try {
                return guard.run(policy, () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        statement.setQueryTimeout(20); // had the statement run, it would wait on key 999
                        statement.executeUpdate(sql);
                    }
                });
            } finally {
                locker.rollback();
            }
        }
    }

    @Test
    void aRunawayInsertSelectIsRefusedBeforeItRuns() throws Exception {
        createArchive(0);

        RunReport report = runWhileArchiveKeyIsTaken(
                GuardPolicy.builder("preflight").maxRowsPerStatement(100).build(),
                "INSERT INTO invoice_archive (id, amount) SELECT id, amount FROM invoices WHERE status = 'OPEN'");

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.MAX_ROWS_PER_STATEMENT);
        assertThat(report.trip().orElseThrow().figure()).isEqualTo(101);
        assertThat(report.failure().orElseThrow().getMessage())
                .contains("Refused before execution: at least 101 rows match");
        assertThat(invoices.count("invoice_archive", "")).isZero();
    }

    @Test
    void anInsertSelectIsCheckedAtEachExecutionWithItsParameters() throws Exception {
        createArchive(0);

        RunReport report = guard.run(
                GuardPolicy.builder("preflight").maxRowsPerStatement(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            PreparedStatement insert = connection.prepareStatement("INSERT INTO invoice_archive (id,"
                                    + " amount) SELECT id, amount + ? FROM invoices WHERE id <= ?")) {
                        insert.setInt(1, 1);
                        insert.setInt(2, 60);
                        assertThat(insert.executeUpdate()).isEqualTo(60);
                        insert.setInt(2, 500);
                        insert.executeUpdate();
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.failure().orElseThrow().getMessage())
                .contains("Refused before execution: at least 101 rows match");
        assertThat(invoices.count("invoice_archive", ""))
                .as("auto-commit: the first INSERT stays")
                .isEqualTo(60);
    }

    @Test
    void aRunawayMergeIsRefusedBeforeItRunsAndOneWithinItsLimitRuns() throws Exception {
        assumeTrue(database() != TestDatabase.MARIADB, "MariaDB has no MERGE statement");
        createArchive(50);

        RunReport updates = guard.run(
                GuardPolicy.builder("preflight").maxRowsPerStatement(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            Statement statement = connection.createStatement()) {
                        assertThat(statement.executeUpdate("MERGE INTO invoice_archive a USING invoices i"
                                        + " ON (a.id = i.id) WHEN MATCHED THEN UPDATE SET amount = i.amount"))
                                .isEqualTo(50);
                    }
                });
        assertThat(updates.outcome()).as(updates.summary()).isEqualTo(RunOutcome.SUCCEEDED);

        guard = JobGuard.builder().build();
        RunReport runaway = runWhileArchiveKeyIsTaken(
                GuardPolicy.builder("preflight").maxRowsPerStatement(100).build(),
                "MERGE INTO invoice_archive a USING invoices i ON (a.id = i.id)"
                        + " WHEN MATCHED THEN UPDATE SET amount = i.amount"
                        + " WHEN NOT MATCHED THEN INSERT (id, amount) VALUES (i.id, i.amount)");

        assertThat(runaway.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(runaway.failure().orElseThrow().getMessage())
                .contains("Refused before execution: at least 101 rows match");
        assertThat(invoices.count("invoice_archive", ""))
                .as("the MERGE's inserts never ran")
                .isEqualTo(50);
    }

    /** A job sending its writes while another transaction holds row 999, which they would wait on. */
    private RunReport whileRowIsLocked(GuardPolicy policy, Send writes) throws Exception {
        try (Connection locker = pool.getConnection()) {
            locker.setAutoCommit(false);
            try (Statement statement = locker.createStatement()) {
                statement.executeUpdate("UPDATE invoices SET amount = amount WHERE id = 999");
            }
            try {
                return guard.run(policy, () -> {
                    try (Connection connection = guarded.getConnection()) {
                        writes.send(connection);
                    }
                });
            } finally {
                locker.rollback();
            }
        }
    }

    @FunctionalInterface
    interface Send {
        void send(Connection connection) throws SQLException;
    }

    @Test
    void aPreparedBatchIsCheckedEntryByEntryAgainstWhatItsEarlierEntriesLeave() throws Exception {
        RunReport report = whileRowIsLocked(
                GuardPolicy.builder("preflight").maxRowsChanged(100).build(), connection -> {
                    try (PreparedStatement update = connection.prepareStatement(
                            "UPDATE invoices SET status = 'CANCELLED' WHERE id BETWEEN ? AND ?")) {
                        update.setQueryTimeout(20); // had the batch run, its last entry would wait on row 999
                        update.setInt(1, 1);
                        update.setInt(2, 60);
                        update.addBatch();
                        update.setInt(1, 941);
                        update.setInt(2, 1000);
                        update.addBatch();
                        update.executeBatch();
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.MAX_ROWS_CHANGED);
        assertThat(report.failure().orElseThrow().getMessage())
                .contains("Refused before execution: at least 41 rows match, more than the 40 the limits leave after"
                        + " the batch's earlier entries");
        assertThat(invoices.cancelled()).isZero();
    }

    @Test
    void aBatchOfStatementsIsCheckedEntryByEntryAndOneWithinItsLimitsRuns() throws Exception {
        RunReport refused = whileRowIsLocked(
                GuardPolicy.builder("preflight").tableLimit("invoices", 100).build(), connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.setQueryTimeout(20);
                        statement.addBatch("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 70");
                        statement.addBatch("DELETE FROM invoices WHERE id > 960");
                        statement.executeBatch();
                    }
                });
        assertThat(refused.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(refused.failure().orElseThrow().getMessage()).contains("Refused before execution");
        assertThat(invoices.cancelled()).isZero();
        assertThat(invoices.count("invoices", "")).isEqualTo(1000);

        guard = JobGuard.builder().build();
        RunReport within =
                guard.run(GuardPolicy.builder("preflight").maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            PreparedStatement update = connection.prepareStatement(
                                    "UPDATE invoices SET status = 'CANCELLED' WHERE id BETWEEN ? AND ?")) {
                        update.setInt(1, 1);
                        update.setInt(2, 40);
                        update.addBatch();
                        update.setInt(1, 41);
                        update.setInt(2, 80);
                        update.addBatch();
                        assertThat(update.executeBatch()).containsExactly(40, 40);
                    }
                });
        assertThat(within.outcome()).as(within.summary()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.cancelled()).isEqualTo(80);
    }

    @Test
    void aWriteThePreflightCannotReadFirstRunsIsCountedAfterwardsAndTheReportAndItsStoredStatementSaySo()
            throws Exception {
        createArchive(0);
        String sql = switch (database()) {
            case POSTGRESQL ->
                "INSERT INTO invoice_archive (id, amount) SELECT id, amount FROM invoices WHERE id <= 10"
                        + " ON CONFLICT DO NOTHING";
            case MARIADB ->
                "INSERT IGNORE INTO invoice_archive (id, amount) SELECT id, amount FROM invoices" + " WHERE id <= 10";
            case H2 ->
                "MERGE INTO invoice_archive a USING invoices i ON (a.id = i.id)"
                        + " WHEN NOT MATCHED AND i.id <= 10 THEN INSERT (id, amount) VALUES (i.id, i.amount)";
        };

        RunReport report = guard.run(
                GuardPolicy.builder("preflight").maxRowsPerStatement(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            PreparedStatement write = connection.prepareStatement(sql)) {
                        assertThat(write.executeUpdate()).isEqualTo(10);
                    }
                });

        assertThat(report.outcome()).as(report.summary()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.rowsChanged()).isEqualTo(10);
        assertThat(invoices.count("invoice_archive", "")).isEqualTo(10);
        assertThat(report.notPreflighted())
                .singleElement()
                .asString()
                .contains("invoice_archive")
                .contains("(");
        assertThat(report.summary()).contains("1 write(s) not counted before they ran");
        assertThat(guard.stateStore().statements(report.runId()))
                .as("the run's statements keep why, for the CLI's show and the console")
                .singleElement()
                .satisfies(statement -> {
                    assertThat(statement.table()).isEqualTo("invoice_archive");
                    assertThat(statement.notPreflighted()).isNotBlank();
                    assertThat(report.notPreflighted().get(0)).contains(statement.notPreflighted());
                });
    }

    @Test
    void aWriteByPrimaryKeyIsNeitherPreflightedNorReported() throws Exception {
        RunReport report = guard.run(
                GuardPolicy.builder("preflight").maxRowsPerStatement(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            PreparedStatement update = connection.prepareStatement(
                                    "UPDATE invoices SET status = 'CANCELLED' WHERE id = ?")) {
                        for (int id = 1; id <= 5; id++) {
                            update.setInt(1, id);
                            assertThat(update.executeUpdate()).isEqualTo(1);
                        }
                    }
                });

        assertThat(report.outcome()).as(report.summary()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.notPreflighted()).isEmpty();
        assertThat(invoices.cancelled()).isEqualTo(5);
    }

    @Test
    void aChunkWhoseKeyRangeIsWithinTheLimitsIsNotCountedFirstAndAWiderOneIs() throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        DataSource recorded = GuardedDataSource.wrap(recordingPreparedSql(pool, sent));
        GuardPolicy policy =
                GuardPolicy.builder("preflight").maxRowsPerStatement(100).build();

        RunReport chunks = guard.run(policy, () -> {
            try (Connection connection = recorded.getConnection();
                    PreparedStatement between = connection.prepareStatement(
                            "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND id BETWEEN ? AND ?");
                    PreparedStatement halfOpen = connection.prepareStatement(
                            "DELETE FROM invoices WHERE id >= ? AND id < ? AND status = 'PAID'");
                    Statement list = connection.createStatement()) {
                between.setInt(1, 1);
                between.setInt(2, 100); // 100 keys: at most 100 rows, what the limit allows
                assertThat(between.executeUpdate()).isEqualTo(80);
                halfOpen.setLong(1, 101);
                halfOpen.setLong(2, 201);
                assertThat(halfOpen.executeUpdate()).isEqualTo(20);
                assertThat(list.executeUpdate("UPDATE invoices SET amount = 0 WHERE id IN (301, 302, 303)"))
                        .isEqualTo(3);
            }
        });

        assertThat(chunks.outcome()).as(chunks.summary()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(sent).as("no count was sent").noneMatch(sql -> sql.contains("jg_preflight"));
        assertThat(invoices.cancelled()).isEqualTo(80);

        RunReport wider = guard.run(policy, () -> {
            try (Connection connection = recorded.getConnection();
                    PreparedStatement between = connection.prepareStatement(
                            "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND id BETWEEN ? AND ?")) {
                between.setInt(1, 401);
                between.setInt(2, 1000); // 600 keys, 480 of them open: counted first and refused
                between.executeUpdate();
            }
        });

        assertThat(wider.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(wider.failure().orElseThrow().getMessage()).contains("Refused before execution");
        assertThat(sent).as("the count was sent").anyMatch(sql -> sql.contains("jg_preflight"));
        assertThat(invoices.cancelled()).isEqualTo(80);
    }

    @Test
    void aSetBasedWriteWithinItsLimitRunsAndOnPostgresqlItsCountRidesInTheStatementItself() throws Exception {
        List<String> sent = new CopyOnWriteArrayList<>();
        DataSource recorded = GuardedDataSource.wrap(recordingPreparedSql(pool, sent));

        RunReport report = guard.run(
                GuardPolicy.builder("preflight").maxRowsPerStatement(100).build(), () -> {
                    try (Connection connection = recorded.getConnection();
                            PreparedStatement update = connection.prepareStatement(
                                    "UPDATE invoices i SET status = ? WHERE i.customer_id < ? AND i.status = 'OPEN'");
                            Statement delete = connection.createStatement()) {
                        update.setString(1, "CANCELLED");
                        update.setLong(2, 5); // customers 0-4: 50 invoices, 40 of them open
                        assertThat(update.executeUpdate()).isEqualTo(40);
                        update.setLong(2, 0); // no customer: nothing matches
                        assertThat(update.executeLargeUpdate()).isZero();
                        assertThat(delete.executeUpdate(
                                        "DELETE FROM invoices WHERE customer_id = 10 AND status = 'PAID'"))
                                .isEqualTo(10);
                    }
                });

        assertThat(report.outcome()).as(report.summary()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.rowsChanged()).isEqualTo(50);
        assertThat(invoices.cancelled()).isEqualTo(40);
        assertThat(invoices.count("invoices", "")).isEqualTo(990);
        assertThat(invoices.count("invoices", "customer_id < 5 AND status = 'OPEN'"))
                .isZero();
        long folded = sent.stream()
                .filter(sql -> !sql.startsWith("SELECT") && sql.contains("jg_preflight"))
                .count();
        long counts =
                sent.stream().filter(sql -> sql.startsWith("SELECT COUNT(*)")).count();
        if (database() == TestDatabase.POSTGRESQL) {
            assertThat(folded)
                    .as("each write ran with its count in it: " + sent)
                    .isEqualTo(3);
            assertThat(counts)
                    .as("one count told the update that matched nothing from a refusal: " + sent)
                    .isEqualTo(1);
        } else {
            assertThat(folded).as("H2 and MariaDB count first: " + sent).isZero();
            assertThat(counts).as("counted before each write: " + sent).isEqualTo(3);
        }
    }

    @Test
    void aRunawayPreparedDeleteIsRefusedWithItsRowsLockedElsewhereAndItsTransactionRolledBack() throws Exception {
        RunReport report = whileRowIsLocked(
                GuardPolicy.builder("preflight").maxRowsPerStatement(100).build(), connection -> {
                    connection.setAutoCommit(false);
                    try (Statement statement = connection.createStatement();
                            PreparedStatement delete =
                                    connection.prepareStatement("DELETE FROM invoices WHERE amount > ?")) {
                        statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 10");
                        delete.setQueryTimeout(20); // had the DELETE run, it would wait on row 999
                        delete.setBigDecimal(1, java.math.BigDecimal.ONE);
                        delete.executeUpdate();
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.failure().orElseThrow().getMessage())
                .contains("Refused before execution: at least 101 rows match, more than the 100 the limits leave")
                .contains("The transaction was rolled back");
        assertThat(invoices.count("invoices", "")).isEqualTo(1000);
        assertThat(invoices.cancelled())
                .as("the transaction's earlier update was rolled back")
                .isZero();
    }

    /** The pool, recording the SQL of every statement prepared on its connections. */
    private static DataSource recordingPreparedSql(DataSource pool, List<String> sent) {
        return (DataSource) Proxy.newProxyInstance(
                DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, (proxy, method, args) -> {
                    Object result = invoke(method, pool, args);
                    if (!(result instanceof Connection connection)) {
                        return result;
                    }
                    return Proxy.newProxyInstance(
                            Connection.class.getClassLoader(),
                            new Class<?>[] {Connection.class},
                            (connectionProxy, connectionMethod, connectionArgs) -> {
                                if (connectionMethod.getName().equals("prepareStatement")) {
                                    sent.add((String) connectionArgs[0]);
                                }
                                return invoke(connectionMethod, connection, connectionArgs);
                            });
                });
    }

    private static Object invoke(Method method, Object target, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException failure) {
            throw failure.getCause();
        }
    }
}
