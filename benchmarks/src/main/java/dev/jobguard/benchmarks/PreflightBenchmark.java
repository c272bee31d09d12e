package dev.jobguard.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.anomaly.AnomalyPolicy;
import dev.jobguard.jdbc.GuardedDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.openjdk.jmh.annotations.AuxCounters;
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
 * The preflight on PostgreSQL, through {@code JobGuard.run} (in-memory state, so only the guard's work on the
 * database is timed):
 *
 * <ul>
 *   <li>{@code runawayRefused}: a job's {@code UPDATE pf_items SET status = ?} without WHERE over a {@code rows}-row
 *       table under {@code maxRowsPerStatement(1000)}, refused before it runs; against {@code runawayRawRollback}, the
 *       same UPDATE on the pool's connection, then rolled back (what a guard that counts after execution costs at
 *       least).
 *   <li>{@code normalPreflightOn} / {@code normalPreflightOff}: a set-based UPDATE of 500 matching rows (a sliding
 *       range of keys, {@code WHERE id BETWEEN ? AND ?}) within a limit of 1,000, with the preflight on and off. The
 *       range bounds the key to 500 rows, within the limit: the preflight needs no count.
 *   <li>{@code bySlotPreflightOn} / {@code bySlotPreflightOff}: the same 500 rows chosen by an indexed column that is
 *       not the key ({@code WHERE slot = ?}): the preflight counts them (in the UPDATE itself on PostgreSQL).
 *   <li>{@code bySlotInterleaved}: one invocation is one run with the preflight off and one with it on, in turn first,
 *       each timed on its own ({@code offNanos}, {@code onNanos}): the ratio of the two sums is not moved by what else
 *       the machine does while the benchmark runs, as separate forks of on and off are.
 * </ul>
 *
 * A run that is not what the variant says (not refused before execution, not 500 rows) fails the benchmark.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class PreflightBenchmark {

    static final String ITEMS = "pf_items";

    /** A table of {@code rows} rows and a guard with in-memory state. */
    @State(Scope.Benchmark)
    public static class Database {
        @Param({"100000", "1000000"})
        public int rows;

        HikariDataSource pool;
        DataSource guarded;
        JobGuard guard;
        long jobs;
        long window;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            pool = BenchPostgres.pool();
            guarded = GuardedDataSource.wrap(pool);
            guard = JobGuard.builder().nodeName("bench").build();
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + ITEMS);
                statement.execute("CREATE TABLE " + ITEMS + " (id BIGINT PRIMARY KEY, status VARCHAR(10) NOT NULL,"
                        + " amount NUMERIC(12,2) NOT NULL, slot INT NOT NULL)");
                statement.execute("INSERT INTO " + ITEMS + " SELECT g, 'OPEN', g % 1000 * 1.25, (g - 1) / 500"
                        + " FROM generate_series(1, " + rows + ") AS g");
                statement.execute("CREATE INDEX " + ITEMS + "_slot ON " + ITEMS + " (slot)");
                statement.execute("VACUUM ANALYZE " + ITEMS);
            }
        }

        /**
         * Clears the dead row versions the last iteration's updates left, untimed, as autovacuum does on a PostgreSQL
         * with its defaults; without it a scan of the table reads more dead versions with every iteration.
         */
        @Setup(Level.Iteration)
        public void vacuum() throws SQLException {
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("VACUUM " + ITEMS);
            }
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            try (Connection connection = pool.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.execute("DROP TABLE IF EXISTS " + ITEMS);
            }
            guard.close();
            pool.close();
        }

        /** A policy for a job of its own: a trip disables its job, and the next call must run again. */
        GuardPolicy policy(boolean preflight) {
            return GuardPolicy.builder("preflight-" + jobs++)
                    .maxRowsPerStatement(1000)
                    .maxConsecutiveFailures(0)
                    .anomaly(AnomalyPolicy.DISABLED)
                    .preflight(preflight)
                    .build();
        }

        RunReport update(GuardPolicy policy, String sql, long... parameters) {
            return guard.run(policy, () -> {
                try (Connection connection = guarded.getConnection()) {
                    connection.setAutoCommit(false);
                    try (PreparedStatement update = connection.prepareStatement(sql)) {
                        update.setString(1, "X");
                        for (int k = 0; k < parameters.length; k++) {
                            update.setLong(k + 2, parameters[k]);
                        }
                        update.executeUpdate();
                    }
                    connection.commit();
                }
            });
        }

        /** The next 500 keys of the table, from the start again at its end. */
        long nextWindow() {
            long from = 1 + window * 500 % Math.max(500, rows - 500);
            window++;
            return from;
        }
    }

    @Benchmark
    public RunReport runawayRefused(Database db) {
        RunReport report = db.update(db.policy(true), "UPDATE " + ITEMS + " SET status = ?");
        if (report.outcome() != RunOutcome.TRIPPED
                || !report.failure().orElseThrow().getMessage().contains("Refused before execution")) {
            throw new IllegalStateException("the runaway UPDATE was not refused before execution: " + report.summary());
        }
        return report;
    }

    @Benchmark
    public int runawayRawRollback(Database db) throws SQLException {
        try (Connection connection = db.pool.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement update = connection.prepareStatement("UPDATE " + ITEMS + " SET status = ?")) {
                update.setString(1, "X");
                int changed = update.executeUpdate();
                connection.rollback();
                if (changed != db.rows) {
                    throw new IllegalStateException("the raw UPDATE changed " + changed + " rows");
                }
                return changed;
            } finally {
                connection.setAutoCommit(true);
            }
        }
    }

    @Benchmark
    public RunReport normalPreflightOn(Database db) {
        return normal(db, true);
    }

    @Benchmark
    public RunReport normalPreflightOff(Database db) {
        return normal(db, false);
    }

    @Benchmark
    public RunReport bySlotPreflightOn(Database db) {
        return bySlot(db, true);
    }

    @Benchmark
    public RunReport bySlotPreflightOff(Database db) {
        return bySlot(db, false);
    }

    private static RunReport normal(Database db, boolean preflight) {
        long from = db.nextWindow();
        return fiveHundred(db.update(
                db.policy(preflight),
                "UPDATE " + ITEMS + " SET status = ?, amount = amount + 1 WHERE id BETWEEN ? AND ?",
                from,
                from + 499));
    }

    private static RunReport bySlot(Database db, boolean preflight) {
        long slot = (db.nextWindow() - 1) / 500;
        return fiveHundred(db.update(
                db.policy(preflight), "UPDATE " + ITEMS + " SET status = ?, amount = amount + 1 WHERE slot = ?", slot));
    }

    /** The time of the runs of {@code bySlotInterleaved}, with the preflight on and off, summed per iteration. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Split {
        public long onNanos;
        public long offNanos;
        boolean onFirst;

        @Setup(Level.Iteration)
        public void clear() {
            onNanos = 0;
            offNanos = 0;
        }
    }

    @Benchmark
    public RunReport bySlotInterleaved(Database db, Split split) {
        split.onFirst = !split.onFirst;
        RunReport last = null;
        for (int k = 0; k < 2; k++) {
            boolean on = split.onFirst == (k == 0);
            long start = System.nanoTime();
            last = bySlot(db, on);
            long took = System.nanoTime() - start;
            if (on) {
                split.onNanos += took;
            } else {
                split.offNanos += took;
            }
        }
        return last;
    }

    private static RunReport fiveHundred(RunReport report) {
        if (report.outcome() != RunOutcome.SUCCEEDED || report.rowsChanged() != 500) {
            throw new IllegalStateException("the 500-row UPDATE did not succeed with 500 rows: " + report.summary());
        }
        return report;
    }
}
