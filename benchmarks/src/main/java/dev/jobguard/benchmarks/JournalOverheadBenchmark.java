package dev.jobguard.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.anomaly.AnomalyPolicy;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.journal.RevertReport;
import dev.jobguard.state.JdbcStateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What the change journal costs a guarded run on PostgreSQL, against the same run without it and against a
 * trigger-based audit that captures the same before-images, and how long a revert of 100,000 rows takes.
 *
 * <p>Each operation is one whole {@code JobGuard.run} whose job takes a connection from
 * {@link GuardedDataSource}, switches it to manual commit, writes and commits once:
 *
 * <ul>
 *   <li>{@code setBased*}: one prepared {@code UPDATE t SET status = ?, amount = amount + 1 WHERE id <= 10000} (all
 *       {@value #ROWS} rows);
 *   <li>{@code rowByRow*}: {@value #ROWS} executions of a prepared {@code UPDATE t SET status = ? WHERE id = ?};
 *   <li>{@code *JournalOff} / {@code *JournalOn}: the same policy without and with {@code journal(true)};
 *   <li>{@code *Trigger}: journal off, on a copy of the table with an {@code AFTER UPDATE ... FOR EACH ROW} trigger
 *       that inserts {@code row_to_json(OLD)} and the key into an audit table;
 *   <li>{@code revert}: {@code guard.revert} of a journaled run that updated every row of a {@code revertRows}-row
 *       table (default {@value #REVERT_ROWS}) in one set-based statement; single shot, the run itself is made in the
 *       iteration's untimed setup.
 * </ul>
 *
 * Before every measured call (untimed, {@code Level.Invocation}) the journal and audit tables are truncated and the
 * updated tables vacuumed, so every call does the same work on the same table state; the status flips between two
 * values so that every row really changes. After every call (also untimed) the journal or audit rows are counted: a
 * call that journaled or audited fewer than {@value #ROWS} rows fails the benchmark.
 *
 * <p>The guard's state and journal tables get their own prefix ({@value #PREFIX}) so that truncating them never
 * touches another user's {@code jobguard_} tables. The database comes from {@code JOBGUARD_BENCH_POSTGRES_URL}
 * (default {@code jdbc:postgresql://127.0.0.1:5432/test}, user {@code postgres}), as for
 * {@link RunOverheadBenchmark}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 10)
@Measurement(iterations = 5, time = 10)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class JournalOverheadBenchmark {

    static final int ROWS = 10_000;
    static final int REVERT_ROWS = 100_000;
    /** Table prefix of the guard's state store and change journal in this benchmark. */
    static final String PREFIX = "jgbench_";

    static final String ITEMS = "jb_items";
    static final String AUDITED = "jb_audited_items";
    static final String AUDIT = "jb_audit";
    static final String REVERT_ITEMS = "jb_revert_items";

    /** The pool, the guard and the two policies; subclasses create their tables. */
    @State(Scope.Benchmark)
    public abstract static class Database {
        HikariDataSource pool;
        DataSource guarded;
        JobGuard guard;
        GuardPolicy journalOff;
        GuardPolicy journalOn;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            pool = BenchPostgres.pool();
            guarded = GuardedDataSource.wrap(pool);
            guard = JobGuard.builder()
                    .stateStore(JdbcStateStore.builder(pool).tablePrefix(PREFIX).build())
                    .nodeName("bench")
                    .build();
            String job = "journal-bench-" + UUID.randomUUID().toString().substring(0, 8);
            // no row limits and no anomaly check: nothing may trip; the policies differ only in journal(true)
            journalOff = GuardPolicy.builder(job + "-off")
                    .maxConsecutiveFailures(0)
                    .anomaly(AnomalyPolicy.DISABLED)
                    .build();
            journalOn = journalOff.toBuilder().journal(true).build();
            guard.changeJournal().entries("none"); // creates the journal's tables
            createTables();
        }

        abstract void createTables() throws SQLException;

        @TearDown(Level.Trial)
        public void close() {
            guard.close();
            pool.close();
        }

        void execute(String... sql) throws SQLException {
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                for (String each : sql) {
                    statement.execute(each);
                }
            }
        }

        long count(String sql, String parameter) throws SQLException {
            try (Connection connection = pool.getConnection();
                    PreparedStatement statement = connection.prepareStatement(sql)) {
                if (parameter != null) {
                    statement.setString(1, parameter);
                }
                try (ResultSet result = statement.executeQuery()) {
                    result.next();
                    return result.getLong(1);
                }
            }
        }

        /** Journal entries of the run that have an after-image (every UPDATE entry of a committed run has one). */
        long journaled(String runId) throws SQLException {
            return count(
                    "SELECT count(*) FROM " + PREFIX + "change WHERE run_id = ? AND operation = 'UPDATE'"
                            + " AND before_image IS NOT NULL AND after_image IS NOT NULL",
                    runId);
        }

        void truncateJournal() throws SQLException {
            execute("TRUNCATE " + PREFIX + "change, " + PREFIX + "revert");
        }

        /** One guarded run of the set-based update; fails unless it succeeded and changed {@code rows} rows. */
        RunReport setBased(GuardPolicy policy, String table, String status, int rows) {
            RunReport report = guard.run(policy, () -> {
                try (Connection connection = guarded.getConnection()) {
                    connection.setAutoCommit(false);
                    try (PreparedStatement update = connection.prepareStatement(
                            "UPDATE " + table + " SET status = ?, amount = amount + 1 WHERE id <= " + rows)) {
                        update.setString(1, status);
                        update.executeUpdate();
                    }
                    connection.commit();
                }
            });
            return check(report, rows);
        }

        /** One guarded run of {@code rows} single-row updates in one transaction. */
        RunReport rowByRow(GuardPolicy policy, String table, String status, int rows) {
            RunReport report = guard.run(policy, () -> {
                try (Connection connection = guarded.getConnection()) {
                    connection.setAutoCommit(false);
                    try (PreparedStatement update =
                            connection.prepareStatement("UPDATE " + table + " SET status = ? WHERE id = ?")) {
                        for (int id = 1; id <= rows; id++) {
                            update.setString(1, status);
                            update.setLong(2, id);
                            update.executeUpdate();
                        }
                    }
                    connection.commit();
                }
            });
            return check(report, rows);
        }

        private static RunReport check(RunReport report, int rows) {
            if (report.outcome() != RunOutcome.SUCCEEDED
                    || report.rowsChanged() != rows
                    || !report.journalGaps().isEmpty()) {
                throw new IllegalStateException("the benchmark's run did not do what it should: " + report.summary());
            }
            return report;
        }
    }

    /** Two tables of {@value #ROWS} rows: one plain, one with the audit trigger. */
    public static class Tables extends Database {
        private String status = "A";
        /** Set by the benchmark method, checked after it (untimed). */
        RunReport last;

        boolean expectJournal;
        boolean expectAudit;

        @Override
        void createTables() throws SQLException {
            execute(
                    "DROP TABLE IF EXISTS " + ITEMS,
                    "DROP TABLE IF EXISTS " + AUDITED,
                    "DROP TABLE IF EXISTS " + AUDIT,
                    itemsTable(ITEMS),
                    fill(ITEMS, ROWS),
                    itemsTable(AUDITED),
                    fill(AUDITED, ROWS),
                    "CREATE TABLE " + AUDIT + " (audit_id BIGSERIAL PRIMARY KEY, table_name TEXT NOT NULL,"
                            + " row_key BIGINT NOT NULL, before_image JSON NOT NULL,"
                            + " changed_at TIMESTAMP NOT NULL DEFAULT now())",
                    "CREATE OR REPLACE FUNCTION jb_audit_row() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                            + " INSERT INTO " + AUDIT + " (table_name, row_key, before_image)"
                            + " VALUES (TG_TABLE_NAME, OLD.id, row_to_json(OLD)); RETURN NULL; END $$",
                    "CREATE TRIGGER jb_audited_items_audit AFTER UPDATE ON " + AUDITED
                            + " FOR EACH ROW EXECUTE FUNCTION jb_audit_row()",
                    "VACUUM ANALYZE " + ITEMS,
                    "VACUUM ANALYZE " + AUDITED);
        }

        /** Untimed: empty journal and audit tables, vacuumed item tables, the other status value. */
        @Setup(Level.Invocation)
        public void reset() throws SQLException {
            truncateJournal();
            execute("TRUNCATE " + AUDIT, "VACUUM " + ITEMS, "VACUUM " + AUDITED);
            status = status.equals("A") ? "B" : "A";
            last = null;
        }

        String status() {
            return status;
        }

        /** Untimed: the call journaled (or audited) every row it changed, and nothing else did. */
        @TearDown(Level.Invocation)
        public void verify() throws SQLException {
            if (last == null) {
                return; // the call failed; JMH reports its exception
            }
            long journal = journaled(last.runId());
            long audit = count("SELECT count(*) FROM " + AUDIT, null);
            long expectedJournalRows = expectJournal ? ROWS : 0;
            long expectedAuditRows = expectAudit ? ROWS : 0;
            if (journal != expectedJournalRows || audit != expectedAuditRows) {
                throw new IllegalStateException("expected " + expectedJournalRows + " journal and " + expectedAuditRows
                        + " audit rows, found " + journal + " and " + audit);
            }
        }

        RunReport record(RunReport report, boolean journal, boolean audit) {
            last = report;
            expectJournal = journal;
            expectAudit = audit;
            return report;
        }
    }

    /**
     * A table of {@code revertRows} rows (default {@value #REVERT_ROWS}) and, per iteration, a journaled run that
     * updated all of them.
     */
    public static class RevertTarget extends Database {
        /** The table's rows, all changed by the run and put back by the revert. */
        @Param({"100000"})
        public int revertRows;

        String runId;
        RevertReport report;

        @Override
        void createTables() throws SQLException {
            execute(
                    "DROP TABLE IF EXISTS " + REVERT_ITEMS,
                    itemsTable(REVERT_ITEMS),
                    fill(REVERT_ITEMS, revertRows),
                    "VACUUM ANALYZE " + REVERT_ITEMS);
        }

        /** Untimed (a single-shot iteration is one call): the run to revert. */
        @Setup(Level.Iteration)
        public void journaledRun() throws SQLException {
            truncateJournal();
            execute("VACUUM " + REVERT_ITEMS);
            runId = setBased(journalOn, REVERT_ITEMS, "REVERT_ME", revertRows).runId();
            long journal = journaled(runId);
            if (journal != revertRows) {
                throw new IllegalStateException("the run to revert journaled " + journal + " rows");
            }
            report = null;
        }

        /** Untimed: the revert put every row back. */
        @TearDown(Level.Iteration)
        public void verify() throws SQLException {
            if (report == null) {
                return;
            }
            long left = count(
                    "SELECT count(*) FROM " + REVERT_ITEMS + " WHERE status <> 'OPEN' OR amount <> id * 1.25", null);
            if (!report.applied() || report.rowsReverted() != revertRows || left != 0) {
                throw new IllegalStateException(
                        "the revert did not put every row back (" + left + " left): " + report.summary());
            }
        }
    }

    static String itemsTable(String table) {
        return "CREATE TABLE " + table + " (id BIGINT PRIMARY KEY, customer_id BIGINT NOT NULL,"
                + " status VARCHAR(20) NOT NULL, amount NUMERIC(12,2) NOT NULL, due DATE NOT NULL, note TEXT,"
                + " updated_at TIMESTAMP(6) NOT NULL)";
    }

    static String fill(String table, int rows) {
        return "INSERT INTO " + table + " SELECT g, g % 997, 'OPEN', g * 1.25, DATE '2026-01-01' + (g % 365),"
                + " CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || g END,"
                + " TIMESTAMP '2026-01-01 00:00:00' + g * INTERVAL '1 second'"
                + " FROM generate_series(1, " + rows + ") AS g";
    }

    @Benchmark
    public RunReport setBasedJournalOff(Tables tables) {
        return tables.record(tables.setBased(tables.journalOff, ITEMS, tables.status(), ROWS), false, false);
    }

    @Benchmark
    public RunReport setBasedJournalOn(Tables tables) {
        return tables.record(tables.setBased(tables.journalOn, ITEMS, tables.status(), ROWS), true, false);
    }

    /**
     * The floor of any journal that writes one row per changed row in the write's transaction: the journal-off run,
     * plus an INSERT of {@value #ROWS} journal rows of the same shape, generated in the server (no read, no transfer,
     * no image built in the client).
     */
    @Benchmark
    public RunReport setBasedJournalRowsOnly(Tables tables) {
        RunReport report = tables.guard.run(tables.journalOff, () -> {
            try (Connection connection = tables.guarded.getConnection()) {
                connection.setAutoCommit(false);
                try (PreparedStatement update = connection.prepareStatement(
                                "UPDATE " + ITEMS + " SET status = ?, amount = amount + 1 WHERE id <= " + ROWS);
                        PreparedStatement journalRows = connection.prepareStatement("INSERT INTO " + PREFIX
                                + "change (run_id, seq, table_name, operation, row_key, before_image, after_image,"
                                + " created_at) SELECT ?, g, '" + ITEMS + "', 'UPDATE', '{\"id\":' || g || '}',"
                                + " '{\"id\":' || g || ',\"status\":\"OPEN\",\"amount\":' || (g * 1.25) || '}',"
                                + " '{\"id\":' || g || ',\"status\":\"A\",\"amount\":' || (g * 1.25 + 1) || '}',"
                                + " localtimestamp FROM generate_series(1, " + ROWS + ") AS g")) {
                    update.setString(1, tables.status());
                    update.executeUpdate();
                    journalRows.setString(1, UUID.randomUUID().toString());
                    if (journalRows.executeUpdate() != ROWS) {
                        throw new IllegalStateException("the journal rows were not all written");
                    }
                }
                connection.commit();
            }
        });
        if (report.outcome() != RunOutcome.SUCCEEDED) {
            throw new IllegalStateException("the benchmark's run did not do what it should: " + report.summary());
        }
        // the rows are not entries of the run (another run id), so the teardown expects none of its own
        return tables.record(report, false, false);
    }

    @Benchmark
    public RunReport setBasedTrigger(Tables tables) {
        return tables.record(tables.setBased(tables.journalOff, AUDITED, tables.status(), ROWS), false, true);
    }

    @Benchmark
    public RunReport rowByRowJournalOff(Tables tables) {
        return tables.record(tables.rowByRow(tables.journalOff, ITEMS, tables.status(), ROWS), false, false);
    }

    @Benchmark
    public RunReport rowByRowJournalOn(Tables tables) {
        return tables.record(tables.rowByRow(tables.journalOn, ITEMS, tables.status(), ROWS), true, false);
    }

    @Benchmark
    public RunReport rowByRowTrigger(Tables tables) {
        return tables.record(tables.rowByRow(tables.journalOff, AUDITED, tables.status(), ROWS), false, true);
    }

    /** One revert of the iteration's run, timed once (single shot); the run is made in the untimed setup. */
    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @Warmup(iterations = 1)
    @Measurement(iterations = 3)
    public RevertReport revert(RevertTarget target) {
        target.report = target.guard.revert(target.runId, RevertOptions.DEFAULTS.withActor("bench"));
        return target.report;
    }
}
