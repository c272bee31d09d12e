package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.journal.RevertReport;
import dev.jobguard.state.JdbcStateStore;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The journal's after-image is the value the database stored, not the value the job sent: a job sets a column from a
 * parameter or an expression the database converts on the way in (rounding, truncation, padding, time zones, single
 * precision), nobody touches the rows, and the revert must find no conflict and restore the table byte for byte; a row
 * someone did touch must be a conflict. Each write goes both ways the journal captures it: one statement per row (on
 * PostgreSQL the journal runs it with its read, {@code RETURNING}) and a batch (a locking read that evaluates the SET
 * expressions).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractJournalStoredImageIntegrationTest {

    private static final int ROWS = 20;
    /** Rows 1..10 are written one statement each, 11..20 in one batch; one of each is touched after the run. */
    private static final List<Long> TOUCHED = List.of(5L, 15L);

    private HikariDataSource pool;
    private DataSource guarded;
    private JobGuard guard;
    private final java.util.concurrent.atomic.AtomicInteger tables = new java.util.concurrent.atomic.AtomicInteger();
    private String table;

    protected abstract TestDatabase database();

    @BeforeAll
    void open() {
        pool = database().pool(java.util.Map.of());
        guarded = GuardedDataSource.wrap(pool);
        guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(pool))
                .changeJournal(ChangeJournal.builder(pool).build())
                .build();
    }

    @AfterAll
    void close() {
        if (pool != null) {
            pool.close();
        }
    }

    /** Binds the value the job sets (parameter 1); the row's id is parameter 2. */
    @FunctionalInterface
    interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    @Test
    void aDecimalSetFromAParameterWithMoreDecimalsThanTheColumnKeepsIsRevertedWithoutConflict() throws SQLException {
        assertRevertedAsStored(
                "DECIMAL(12,2)", "5.00", "v = ?", s -> s.setBigDecimal(1, new BigDecimal("1.004")), "9.99", "1.00");
    }

    @Test
    void decimalArithmeticRoundedToTheColumnsScaleIsRevertedWithoutConflict() throws SQLException {
        assertRevertedAsStored("DECIMAL(12,2)", "11.25", "v = v * 1.10", null, "1.00", "12.38");
    }

    @Test
    void aTimestampWithMillisecondsStoredInSecondsIsRevertedWithoutConflict() throws SQLException {
        String type = database() == TestDatabase.MARIADB ? "DATETIME" : "TIMESTAMP(0)";
        assertRevertedAsStored(
                type,
                "TIMESTAMP '2026-01-01 00:00:00'",
                "v = ?",
                s -> s.setTimestamp(1, Timestamp.valueOf("2026-05-06 07:08:09.567")),
                "TIMESTAMP '2020-01-01 00:00:00'",
                null);
    }

    @Test
    void aMariaDbTimestampColumnInSecondsSetWithMillisecondsIsRevertedWithoutConflict() throws SQLException {
        if (database() != TestDatabase.MARIADB) {
            return; // TIMESTAMP(0) on the others: the test above
        }
        assertRevertedAsStored(
                "TIMESTAMP NULL",
                "TIMESTAMP '2026-01-01 00:00:00'",
                "v = ?",
                s -> s.setTimestamp(1, Timestamp.valueOf("2026-05-06 07:08:09.567")),
                "TIMESTAMP '2020-01-01 00:00:00'",
                null);
    }

    @Test
    void aRealSetWithSetDoubleIsRevertedWithoutConflict() throws SQLException {
        String type = database() == TestDatabase.MARIADB ? "FLOAT" : "REAL";
        assertRevertedAsStored(type, "0.5", "v = ?", s -> s.setDouble(1, 0.1), "0.25", null);
    }

    @Test
    void aBooleanSetWithSetBooleanIsRevertedWithoutConflict() throws SQLException {
        // MariaDB stores BOOLEAN as TINYINT(1): the job sends true, the column holds 1
        String type = database() == TestDatabase.MARIADB ? "TINYINT(1)" : "BOOLEAN";
        String no = database() == TestDatabase.MARIADB ? "0" : "FALSE";
        assertRevertedAsStored(type, no, "v = ?", s -> s.setBoolean(1, true), no, null);
    }

    @Test
    void aMariaDbTinyIntOneSetWithANumberOtherThanOneIsRevertedWithoutConflict() throws SQLException {
        if (database() != TestDatabase.MARIADB) {
            return; // TINYINT(1) is MariaDB's boolean, and holds any TINYINT
        }
        assertRevertedAsStored("TINYINT(1)", "0", "v = ?", s -> s.setInt(1, 5), "1", null);
    }

    @Test
    void aCharPaddedToItsLengthIsRevertedWithoutConflict() throws SQLException {
        assertRevertedAsStored("CHAR(5)", "'xyz'", "v = ?", s -> s.setString(1, "ab"), "'zz'", null);
    }

    @Test
    void aTimestampWithTimeZoneConvertedByTheDatabaseIsRevertedWithoutConflict() throws SQLException {
        String type = switch (database()) {
            case POSTGRESQL -> "TIMESTAMPTZ(3)";
            case H2 -> "TIMESTAMP(3) WITH TIME ZONE";
            case MARIADB -> "TIMESTAMP(3) NULL";
        };
        String initial = database() == TestDatabase.MARIADB
                ? "TIMESTAMP '2026-01-01 00:00:00'"
                : "TIMESTAMP WITH TIME ZONE '2026-01-01 00:00:00+00:00'";
        String touched = database() == TestDatabase.MARIADB
                ? "TIMESTAMP '2020-01-01 00:00:00'"
                : "TIMESTAMP WITH TIME ZONE '2020-01-01 00:00:00+00:00'";
        assertRevertedAsStored(
                type,
                initial,
                "v = ?",
                s -> s.setObject(1, OffsetDateTime.parse("2026-05-06T07:08:09.1237+02:00")),
                touched,
                null);
    }

    @Test
    void textCutToAShorterColumnIsRevertedWithoutConflict() throws SQLException {
        if (database() == TestDatabase.H2) {
            return; // H2 refuses the value ("Value too long"): nothing is stored, nothing journaled
        }
        // trailing blanks beyond the length are cut without an error (SQL standard; MariaDB in strict mode too)
        assertRevertedAsStored("VARCHAR(3)", "'xyz'", "v = ?", s -> s.setString(1, "ab      "), "'zz'", null);
    }

    @Test
    void aTextExpressionPaddedIntoACharColumnIsRevertedWithoutConflict() throws SQLException {
        assertRevertedAsStored("CHAR(6)", "'abc'", "v = CONCAT(?, 'x')", s -> s.setString(1, "q"), "'zz'", null);
    }

    /**
     * Creates {@code jg_stored(id, v TYPE)} with {@link #ROWS} rows of {@code initial}, runs a journaled job that sets
     * {@code v} in each row ({@code set}, parameter 1 from {@code binder}, or none), touches {@link #TOUCHED} to
     * {@code touch}, and checks the revert: exactly the touched rows conflict; once they hold again what the run left,
     * the revert applies without a conflict and the table is byte for byte what it was.
     *
     * @param stored what the run must have left in the rows (the database's conversion really happened), or null
     */
    private void assertRevertedAsStored(
            String type, String initial, String set, Binder binder, String touch, String stored) throws SQLException {
        // a table of its own per test: the guarded DataSource keeps what it learnt of a table's columns
        table = "jg_stored_" + tables.incrementAndGet();
        execute("DROP TABLE IF EXISTS " + table, "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, v " + type + ")");
        StringBuilder insert = new StringBuilder("INSERT INTO " + table + " (id, v) VALUES ");
        for (int id = 1; id <= ROWS; id++) {
            insert.append(id == 1 ? "" : ",")
                    .append('(')
                    .append(id)
                    .append(',')
                    .append(initial)
                    .append(')');
        }
        execute(insert.toString());
        List<String> original = snapshot();
        String job = "stored-" + UUID.randomUUID().toString().substring(0, 8);
        int parameter = binder == null ? 1 : 2;

        RunReport run = guard.run(GuardPolicy.builder(job).journal(true).build(), () -> {
            try (Connection connection = guarded.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement update =
                        connection.prepareStatement("UPDATE " + table + " SET " + set + " WHERE id = ?")) {
                    for (long id = 1; id <= ROWS / 2; id++) {
                        if (binder != null) {
                            binder.bind(update);
                        }
                        update.setLong(parameter, id);
                        assertThat(update.executeUpdate()).isEqualTo(1);
                    }
                    for (long id = ROWS / 2 + 1; id <= ROWS; id++) {
                        if (binder != null) {
                            binder.bind(update);
                        }
                        update.setLong(parameter, id);
                        update.addBatch();
                    }
                    update.executeBatch();
                }
                connection.commit();
            }
        });

        assertThat(run.outcome()).as(run.summary()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(run.journalGaps()).isEmpty();
        assertThat(run.rowsChanged()).isEqualTo(ROWS);
        if (stored != null) {
            assertThat(count("SELECT count(*) FROM " + table + " WHERE v = " + stored))
                    .as("the database converted the value")
                    .isEqualTo(ROWS);
        }
        execute("UPDATE " + table + " SET v = " + touch + " WHERE id IN (5, 15)");

        RevertReport refused = guard.revert(run.runId(), RevertOptions.DEFAULTS.withDryRun(true));

        assertThat(refused.conflicts())
                .as("exactly the touched rows conflict: %s", refused.summary())
                .extracting(conflict -> conflict.key().replaceAll("\\D", ""))
                .containsExactlyInAnyOrder("5", "15");

        execute("UPDATE " + table + " SET v = (SELECT v FROM " + table + " WHERE id = 1) WHERE id IN (5, 15)");
        RevertReport reverted = guard.revert(run.runId(), RevertOptions.DEFAULTS.withActor("test"));

        assertThat(reverted.conflicts()).as(reverted.summary()).isEmpty();
        assertThat(reverted.applied()).isTrue();
        assertThat(reverted.rowsReverted()).isEqualTo(ROWS);
        assertThat(snapshot()).isEqualTo(original);
    }

    private void execute(String... sql) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            connection.setAutoCommit(true);
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery(sql)) {
            result.next();
            return result.getLong(1);
        }
    }

    /** Every row, each value as the driver returns it and as text, with its class, in key order. */
    private List<String> snapshot() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT * FROM " + table + " ORDER BY id")) {
            ResultSetMetaData meta = result.getMetaData();
            while (result.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= meta.getColumnCount(); i++) {
                    Object value = result.getObject(i);
                    row.append(meta.getColumnLabel(i))
                            .append('=')
                            .append(value instanceof byte[] bytes ? Arrays.toString(bytes) : String.valueOf(value))
                            .append('|')
                            .append(result.getString(i))
                            .append(' ');
                }
                rows.add(row.toString());
            }
        }
        return rows;
    }
}
