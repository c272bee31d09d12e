package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.jdbc.GuardedDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Ways past the count that a differential run of random writes reported, each kept as a fixed case: a
 * job that sends the statement, ignores any error and commits must not commit more than its limit. 800 invoices are
 * OPEN; every limit here is 100.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractCountEscapeRegressionIntegrationTest {

    static final String CANCEL_ALL_OPEN = "UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'";

    private HikariDataSource pool;
    private DataSource guarded;
    private Invoices invoices;
    private JobGuard guard;

    protected abstract TestDatabase database();

    /** The schema (MariaDB: database) the tables are created in, as the database spells it. */
    protected abstract String schema(Connection connection) throws SQLException;

    @FunctionalInterface
    interface Send {
        void send(Connection connection) throws SQLException;
    }

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
        guard = JobGuard.builder().build();
    }

    /** Runs a manual-commit job that sends each write, ignores what the driver or the guard throws, and commits. */
    private RunReport carelessJob(GuardPolicy policy, Send... writes) {
        return guard.run(policy, () -> {
            try (Connection connection = guarded.getConnection()) {
                connection.setAutoCommit(false);
                for (Send write : writes) {
                    try {
                        write.send(connection);
                    } catch (SQLException ignoredByTheJob) {
                        // the careless job goes on
                    }
                }
                connection.commit();
            }
        });
    }

    private static Send query(String sql) {
        return connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeQuery(sql).close();
            }
        };
    }

    private static Send execute(String sql) {
        return connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.execute(sql);
            }
        };
    }

    private static Send update(String sql) {
        return connection -> {
            try (Statement statement = connection.createStatement()) {
                statement.executeUpdate(sql);
            }
        };
    }

    private static GuardPolicy limit100() {
        return GuardPolicy.builder("escape").maxRowsChanged(100).build();
    }

    private void assertNothingOverTheLimitCommitted(List<String> before, RunReport report) throws SQLException {
        assertThat(invoices.open()).as("open invoices left; report: %s", report).isGreaterThanOrEqualTo(700);
        if (report.outcome() == RunOutcome.TRIPPED) {
            assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        }
    }

    @Test
    void aMultiStatementStringWhoseLaterStatementsStartWithCommentsIsCountedInFull() throws SQLException {
        // found by the differential fuzzer on MariaDB (seed 398): 38 rows through maxRowsChanged=21, none reported
        Assumptions.assumeTrue(database().reportsEveryResult(), "the database reports every result of a string");
        List<String> before = invoices.snapshot("invoices");
        RunReport report = carelessJob(
                GuardPolicy.builder("escape").maxRowsChanged(21).build(),
                execute("INSERT INTO invoices (id, customer_id, amount, due_date, status) SELECT id + 5000,"
                        + " customer_id, amount, due_date, status FROM invoices WHERE id <= 38; -- c\nUPDATE -- c\n"
                        + "INVOICES SET amount = amount + 1 WHERE id BETWEEN 36 AND 50"));

        assertThat(report.outcome()).as(report.summary()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aBatchEntryOfSeveralStatementsCannotCommitTheRowsOfItsLaterStatementsUncounted() throws SQLException {
        // found by the differential fuzzer on MariaDB (seeds 6531, 6824, 6877, 6932): the driver reports one count
        // per batch entry, which the guard put under the entry's first statement's table: the rows of its later
        // statements went under the wrong table, and a table limit could be passed
        List<String> before = invoices.snapshot("invoices");
        RunReport report = carelessJob(
                GuardPolicy.builder("escape").tableLimit("invoices", 100).build(), connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.addBatch("UPDATE audit_log SET note = 'x' WHERE id < 0; -- c\n"
                                + "DELETE FROM invoices WHERE id > 899");
                        statement.executeBatch();
                    }
                });

        assertThat(invoices.count("invoices", ""))
                .as("the DELETE's 101 rows were not committed through invoices' limit of 100; %s", report.summary())
                .isEqualTo(1000);
        if (report.outcome() == RunOutcome.TRIPPED) {
            assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        }
    }

    @Test
    void aTableLimitHoldsForAnUpdateWithAMySqlCommentAfterItsFirstWord() throws SQLException {
        // found by the differential fuzzer on MariaDB (seeds 302, 443): the parser rejects '#' comments, and the token
        // fallback read '#' as the table (or a multi-table UPDATE as its first table)
        Assumptions.assumeTrue(database() == TestDatabase.MARIADB, "'#' comments are MySQL's and MariaDB's");
        List<String> before = invoices.snapshot("invoices");
        RunReport plain = carelessJob(
                GuardPolicy.builder("escape-hash").tableLimit("invoices", 100).build(),
                update("UPDATE # c\n`invoices` SET status = 'CANCELLED' WHERE status = 'OPEN'"));
        RunReport joined = carelessJob(
                GuardPolicy.builder("escape-join").tableLimit("invoices", 100).build(),
                update("# c\nUPDATE audit_log a RIGHT JOIN invoices i ON i.id = a.id"
                        + " SET i.status = 'CANCELLED' WHERE i.status = 'OPEN'"));

        assertThat(plain.outcome()).as(plain.summary()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(joined.outcome()).as(joined.summary()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aTableLimitHoldsForATableSpelledSeveralWaysInOneRun() throws SQLException {
        String schema;
        try (Connection connection = pool.getConnection()) {
            schema = schema(connection);
        }
        List<String> before = invoices.snapshot("invoices");
        // 80 rows under each spelling, 160 in all: over the table's limit of 100 only when the spellings add up
        RunReport report = carelessJob(
                GuardPolicy.builder("spellings").tableLimit("invoices", 100).build(),
                update(CANCEL_ALL_OPEN + " AND id <= 100"),
                update("UPDATE " + schema + ".invoices SET status = 'CANCELLED' WHERE status = 'OPEN'"
                        + " AND id > 100 AND id <= 200"));

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aHashCommentBeforeAStatementDoesNotHideItsTableOrItsCount() throws SQLException {
        assumeTrue(database() == TestDatabase.MARIADB, "'#' starts a comment on MySQL and MariaDB only");
        List<String> before = invoices.snapshot("invoices");
        RunReport report = carelessJob(
                GuardPolicy.builder("hash").tableLimit("invoices", 100).build(),
                update("# cancel them\n" + CANCEL_ALL_OPEN),
                query("#cancel them\n" + CANCEL_ALL_OPEN));

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aStatementNotClassifiedSentThroughExecuteQueryIsNotCountedAsZero() throws SQLException {
        assumeTrue(database() == TestDatabase.MARIADB, "MariaDB runs a write sent through executeQuery");
        List<String> before = invoices.snapshot("invoices");
        // MariaDB's ANALYZE runs the statement it analyzes and returns its plan
        RunReport report = carelessJob(limit100(), query("ANALYZE " + CANCEL_ALL_OPEN));

        assertNothingOverTheLimitCommitted(before, report);
    }

    @Test
    void explainAnalyzeOfAWriteIsNotCountedByThePlansRows() throws SQLException {
        assumeTrue(database() != TestDatabase.MARIADB, "MariaDB has no EXPLAIN ANALYZE of writes");
        List<String> before = invoices.snapshot("invoices");
        RunReport report = carelessJob(
                limit100(), query("EXPLAIN ANALYZE " + CANCEL_ALL_OPEN), execute("EXPLAIN ANALYZE " + CANCEL_ALL_OPEN));

        assertNothingOverTheLimitCommitted(before, report);
    }

    @Test
    void aDataChangeDeltaTableQueryIsCountedAndCannotEscapeTheLimit() throws SQLException {
        assumeTrue(database() == TestDatabase.H2, "data change delta tables are H2's (and DB2's)");
        List<String> before = invoices.snapshot("invoices");
        RunReport report = carelessJob(
                limit100(),
                query("SELECT id FROM FINAL TABLE (" + CANCEL_ALL_OPEN + ")"),
                query("SELECT COUNT(*) FROM OLD TABLE (DELETE FROM invoices WHERE status = 'OPEN')"),
                execute("SELECT id FROM NEW TABLE (INSERT INTO audit_log (id, note) SELECT id, status FROM invoices)"),
                query("SELECT i.id FROM invoices i JOIN FINAL TABLE (" + CANCEL_ALL_OPEN + ") f ON f.id = i.id"));

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        assertThat(invoices.count("audit_log", "")).isZero();
    }

    @Test
    void aCommentBeforeADataModifyingWithDoesNotMakeItsRowsTheCount() throws SQLException {
        assumeTrue(database() == TestDatabase.POSTGRESQL, "data-modifying WITH is PostgreSQL's");
        List<String> before = invoices.snapshot("invoices");
        String with = "WITH d AS (DELETE FROM invoices WHERE status = 'OPEN' RETURNING id) SELECT count(*) FROM d";
        RunReport report = carelessJob(
                limit100(),
                query("/* nightly */ " + with),
                query("/* outer /* nested */ still a comment */ " + with),
                execute("-- nightly\n" + with),
                update("/* a /* b */ c */ " + CANCEL_ALL_OPEN));

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aWriteWithReturningAskedForGeneratedKeysIsCounted() throws SQLException {
        assumeTrue(database().supportsReturning(), "RETURNING");
        List<String> before = invoices.snapshot("invoices");
        String sql = "DELETE FROM invoices WHERE status = 'OPEN' RETURNING id"; // MariaDB 10.11: no UPDATE RETURNING
        RunReport report = carelessJob(
                limit100(),
                connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS);
                    }
                },
                connection -> {
                    try (Statement statement = connection.createStatement()) {
                        statement.execute(sql, new String[] {"id"});
                    }
                },
                connection -> {
                    try (PreparedStatement statement =
                            connection.prepareStatement(sql, Statement.RETURN_GENERATED_KEYS)) {
                        statement.executeUpdate();
                    }
                },
                connection -> {
                    try (PreparedStatement statement = connection.prepareStatement(sql, new String[] {"id"})) {
                        statement.execute();
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }
}
