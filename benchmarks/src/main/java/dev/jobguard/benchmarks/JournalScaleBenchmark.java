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
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
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
 * The change journal at production scale on PostgreSQL, in a 256 MiB heap: one journaled set-based {@code UPDATE} of
 * every row of a {@code rows}-row table ({@code id BIGINT PRIMARY KEY, status VARCHAR(10), amount NUMERIC(12,2),
 * note TEXT}) through {@code JobGuard.run}, the same run without the journal and on a copy of the table with a
 * trigger-based audit, and the revert of the journaled run (with its conflict check). Single shots: each one is one
 * whole run (or revert) of all rows.
 *
 * <p>After each shot (untimed) the benchmark fails unless the run succeeded and changed every row, the journal holds
 * exactly one entry per changed row (or the audit table one row per row), and a revert put every row back; it prints
 * the peak heap the JVM's heap pools reached during the shot ({@code heap peak}), next to the GC log the fork writes
 * ({@code -Xlog:gc}, see docs/benchmarks.md).
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 2)
@Fork(
        value = 1,
        jvmArgsAppend = {"-Xms256m", "-Xmx256m", "-Xlog:gc:file=journal-scale-gc-%p.log"})
public class JournalScaleBenchmark {

    static final String PREFIX = "jgscale_";
    static final String ITEMS = "js_items";
    static final String AUDITED = "js_audited_items";
    static final String AUDIT = "js_audit";
    static final String AUDITED_BOTH = "js_audited_both_items";
    static final String AUDIT_BOTH = "js_audit_both";

    /** The pool, the guard, the policies and a table of {@code rows} rows. */
    @State(Scope.Benchmark)
    public abstract static class Database {
        @Param({"100000", "1000000"})
        public int rows;

        HikariDataSource pool;
        DataSource guarded;
        JobGuard guard;
        GuardPolicy journalOff;
        GuardPolicy journalOn;
        String status = "A";
        RunReport last;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            pool = BenchPostgres.pool();
            guarded = GuardedDataSource.wrap(pool);
            guard = JobGuard.builder()
                    .stateStore(JdbcStateStore.builder(pool).tablePrefix(PREFIX).build())
                    .nodeName("bench")
                    .build();
            String job = "journal-scale-" + UUID.randomUUID().toString().substring(0, 8);
            journalOff = GuardPolicy.builder(job + "-off")
                    .maxConsecutiveFailures(0)
                    .anomaly(AnomalyPolicy.DISABLED)
                    .build();
            journalOn = journalOff.toBuilder().journal(true).build();
            guard.changeJournal().purge(java.time.Instant.now().plusSeconds(60)); // creates the journal's tables
            createTable();
        }

        abstract String table();

        void createTable() throws SQLException {
            execute(
                    "DROP TABLE IF EXISTS " + table(),
                    "CREATE TABLE " + table() + " (id BIGINT PRIMARY KEY, status VARCHAR(10) NOT NULL,"
                            + " amount NUMERIC(12,2) NOT NULL, note TEXT)",
                    "INSERT INTO " + table() + " SELECT g, 'OPEN', g % 100000 * 1.25,"
                            + " CASE WHEN g % 10 = 0 THEN NULL ELSE 'note ' || g END"
                            + " FROM generate_series(1, " + rows + ") AS g",
                    "VACUUM ANALYZE " + table());
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            execute("DROP TABLE IF EXISTS " + table());
            guard.close();
            pool.close();
        }

        /** Untimed: an empty journal, a vacuumed table, a checkpoint, the other status value, the heap's peaks reset. */
        @Setup(Level.Iteration)
        public void reset() throws SQLException {
            execute("TRUNCATE " + PREFIX + "change, " + PREFIX + "revert", "VACUUM " + table());
            try {
                // each shot starts without the WAL of the ones before: a checkpoint they forced would land in it
                execute("CHECKPOINT");
            } catch (SQLException notAllowed) {
                System.out.println("[journal-scale] no CHECKPOINT between shots: " + notAllowed.getMessage());
            }
            status = status.equals("A") ? "B" : "A";
            last = null;
            System.gc();
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
        }

        /** The journaled (or not) set-based UPDATE of every row, in one run. */
        RunReport update(GuardPolicy policy) {
            RunReport report = guard.run(policy, () -> {
                try (Connection connection = guarded.getConnection()) {
                    connection.setAutoCommit(false);
                    try (PreparedStatement update =
                            connection.prepareStatement("UPDATE " + table() + " SET status = ?, amount = amount + 1")) {
                        update.setString(1, status);
                        update.executeUpdate();
                    }
                    connection.commit();
                }
            });
            last = report;
            return report;
        }

        void execute(String... sql) throws SQLException {
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                for (String each : sql) {
                    statement.execute(each);
                }
            }
        }

        long count(String sql) throws SQLException {
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement();
                    ResultSet result = statement.executeQuery(sql)) {
                result.next();
                return result.getLong(1);
            }
        }

        /** Untimed: the shot did what it should; prints the heap's peak during it. */
        void check(String what, long journalRows, long auditRows) throws SQLException {
            check(what, journalRows, auditRows, AUDIT);
        }

        void check(String what, long journalRows, long auditRows, String audit) throws SQLException {
            if (last != null
                    && (last.outcome() != RunOutcome.SUCCEEDED
                            || last.rowsChanged() != rows
                            || !last.journalGaps().isEmpty())) {
                throw new IllegalStateException("the run did not do what it should: " + last.summary());
            }
            long journal = count("SELECT count(*) FROM " + PREFIX + "change");
            if (journal != journalRows) {
                throw new IllegalStateException(what + ": " + journal + " journal rows, expected " + journalRows);
            }
            if (auditRows >= 0 && count("SELECT count(*) FROM " + audit) != auditRows) {
                throw new IllegalStateException(what + ": the audit table does not hold " + auditRows + " rows");
            }
            long peak = 0;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                if (pool.getType() == MemoryType.HEAP) {
                    peak += pool.getPeakUsage().getUsed();
                }
            }
            System.out.printf(
                    "%n[journal-scale] %s rows=%d heap peak (sum of the heap pools' peaks)=%d MiB, max heap=%d MiB%n",
                    what, rows, peak >> 20, Runtime.getRuntime().maxMemory() >> 20);
        }
    }

    /** The plain table: journal on, journal off, revert. */
    public static class Items extends Database {
        String runId;

        @Override
        String table() {
            return ITEMS;
        }
    }

    /** The journal-on run, checked: one entry per row. */
    public static class JournalOn extends Items {
        @TearDown(Level.Iteration)
        public void verify() throws SQLException {
            check("journalOn", rows, -1);
        }
    }

    /** The journal-off run, checked: no entry. */
    public static class JournalOff extends Items {
        @TearDown(Level.Iteration)
        public void verify() throws SQLException {
            check("journalOff", 0, -1);
        }
    }

    /** A journaled run of every row made in the untimed setup, reverted in the shot. */
    public static class Revert extends Items {
        RevertReport report;

        @Setup(Level.Iteration)
        public void journaledRun() throws SQLException {
            RunReport run = update(journalOn);
            if (run.outcome() != RunOutcome.SUCCEEDED || run.rowsChanged() != rows) {
                throw new IllegalStateException("the run to revert did not do what it should: " + run.summary());
            }
            runId = run.runId();
            last = null;
            for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
                pool.resetPeakUsage();
            }
        }

        @TearDown(Level.Iteration)
        public void verify() throws SQLException {
            long left = count("SELECT count(*) FROM " + ITEMS + " WHERE status <> 'OPEN'");
            if (report == null || !report.applied() || report.rowsReverted() != rows || left != 0) {
                throw new IllegalStateException("the revert did not put every row back (" + left + " left): "
                        + (report == null ? "no report" : report.summary()));
            }
            check("revert", rows, -1);
        }
    }

    /** The table with a trigger-based audit of the rows' before-images ({@code row_to_json(OLD)}). */
    public static class Audited extends Database {
        @Override
        String table() {
            return AUDITED;
        }

        /** The audit table the trigger writes. */
        String audit() {
            return AUDIT;
        }

        /** Whether the trigger also keeps the after-image, as the journal does. */
        boolean keepsAfter() {
            return false;
        }

        @Override
        void createTable() throws SQLException {
            super.createTable();
            String function = table() + "_audit_row";
            execute(
                    "DROP TABLE IF EXISTS " + audit(),
                    "CREATE TABLE " + audit() + " (audit_id BIGSERIAL PRIMARY KEY, table_name TEXT NOT NULL,"
                            + " row_key BIGINT NOT NULL, before_image JSON NOT NULL"
                            + (keepsAfter() ? ", after_image JSON NOT NULL" : "")
                            + ", changed_at TIMESTAMP NOT NULL DEFAULT now())",
                    "CREATE OR REPLACE FUNCTION " + function + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN"
                            + " INSERT INTO " + audit() + " (table_name, row_key, before_image"
                            + (keepsAfter() ? ", after_image" : "") + ")"
                            + " VALUES (TG_TABLE_NAME, OLD.id, row_to_json(OLD)"
                            + (keepsAfter() ? ", row_to_json(NEW)" : "") + "); RETURN NULL; END $$",
                    "CREATE TRIGGER " + table() + "_audit AFTER UPDATE ON " + table()
                            + " FOR EACH ROW EXECUTE FUNCTION " + function + "()");
        }

        @Override
        public void reset() throws SQLException {
            execute("TRUNCATE " + audit());
            super.reset();
        }

        @TearDown(Level.Iteration)
        public void verify() throws SQLException {
            check(keepsAfter() ? "triggerSameCapture" : "trigger", 0, rows, audit());
        }
    }

    /**
     * The same capture as the journal's by trigger: the key, the row before ({@code row_to_json(OLD)}) and after
     * ({@code row_to_json(NEW)}) the update.
     */
    public static class AuditedBeforeAndAfter extends Audited {
        @Override
        String table() {
            return AUDITED_BOTH;
        }

        @Override
        String audit() {
            return AUDIT_BOTH;
        }

        @Override
        boolean keepsAfter() {
            return true;
        }
    }

    @Benchmark
    public RunReport journalOn(JournalOn state) {
        return state.update(state.journalOn);
    }

    @Benchmark
    public RunReport journalOff(JournalOff state) {
        return state.update(state.journalOff);
    }

    @Benchmark
    public RunReport trigger(Audited state) {
        return state.update(state.journalOff);
    }

    @Benchmark
    public RunReport triggerSameCapture(AuditedBeforeAndAfter state) {
        return state.update(state.journalOff);
    }

    /** The revert of the iteration's journaled run, with its conflict check. */
    @Benchmark
    public RevertReport revert(Revert state) {
        state.report = state.guard.revert(state.runId, RevertOptions.DEFAULTS.withActor("bench"));
        return state.report;
    }
}
