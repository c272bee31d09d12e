package dev.jobguard.benchmarks;

import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.jdbc.GuardedDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The guard's cost per write the way a user pays it: through the public API only ({@code JobGuard.builder().build()},
 * a policy with {@code maxRowsChanged} and otherwise the defaults), one {@code guard.run(...)} per
 * {@value #UPDATES} single-row prepared UPDATEs on H2 in memory, against the same job on the H2 DataSource itself. One
 * invocation is one whole job (its connection, statement and commits every {@value #COMMIT_EVERY}); the score is per
 * UPDATE. Unlike {@code GuardOverheadBenchmark}, which attaches a run to the thread directly, this includes what
 * {@code JobGuard.run} adds per run (state, lock, baseline, the run's report) and per write.
 *
 * <p>{@code interleaved}: one invocation is the raw job and the guarded run, in turn first, each timed on its own
 * ({@code rawNanos}, {@code guardedNanos}, summed per iteration): the ratio of the two sums is not moved by what else
 * the machine does while the benchmark runs, as separate forks of {@code raw} and {@code guardedRun} are.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 6, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(
        value = 3,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class RunPathBenchmark {

    static final int ROWS = 10_000;
    static final int UPDATES = 20_000;
    static final int COMMIT_EVERY = 1_000;

    /** An H2 database of its own, and the same DataSource behind the guard. */
    @State(Scope.Thread)
    public static class Database {
        DataSource h2;
        DataSource guarded;
        JobGuard guard;
        GuardPolicy policy;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            JdbcDataSource source = new JdbcDataSource();
            source.setURL("jdbc:h2:mem:run-path-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
            try (Connection setup = source.getConnection();
                    Statement ddl = setup.createStatement()) {
                ddl.execute("CREATE TABLE invoices (id INT PRIMARY KEY, amount BIGINT NOT NULL)");
                ddl.execute("INSERT INTO invoices SELECT x, 0 FROM SYSTEM_RANGE(1, " + ROWS + ")");
            }
            h2 = source;
            guarded = GuardedDataSource.wrap(source);
            guard = JobGuard.builder().build();
            policy = GuardPolicy.builder("run-path").maxRowsChanged(1_000_000).build();
        }
    }

    /** The job: {@value #UPDATES} single-row prepared UPDATEs by key, committed every {@value #COMMIT_EVERY}. */
    static int job(DataSource dataSource) throws SQLException {
        int rows = 0;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try (PreparedStatement update =
                    connection.prepareStatement("UPDATE invoices SET amount = amount + 1 WHERE id = ?")) {
                for (int i = 0; i < UPDATES; i++) {
                    update.setInt(1, i % ROWS + 1);
                    rows += update.executeUpdate();
                    if ((i + 1) % COMMIT_EVERY == 0) {
                        connection.commit();
                    }
                }
            }
            connection.commit();
        }
        return rows;
    }

    @Benchmark
    @OperationsPerInvocation(UPDATES)
    public int raw(Database db) throws SQLException {
        return job(db.h2);
    }

    @Benchmark
    @OperationsPerInvocation(2 * UPDATES)
    public RunReport interleaved(Database db, RawGuardedSplit split) throws SQLException {
        return split.inTurn(() -> job(db.h2), () -> guardedRun(db));
    }

    @Benchmark
    @OperationsPerInvocation(UPDATES)
    public RunReport guardedRun(Database db) {
        RunReport report = db.guard.run(db.policy, () -> job(db.guarded));
        if (report.outcome() != RunOutcome.SUCCEEDED || report.rowsChanged() != UPDATES) {
            throw new IllegalStateException("the guarded job did not count its updates: " + report.summary());
        }
        return report;
    }
}
