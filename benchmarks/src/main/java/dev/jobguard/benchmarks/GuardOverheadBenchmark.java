package dev.jobguard.benchmarks;

import dev.jobguard.GuardPolicy;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.run.RunLimits;
import dev.jobguard.internal.run.TablePatterns;
import dev.jobguard.jdbc.GuardedDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import net.ttddyy.dsproxy.ExecutionInfo;
import net.ttddyy.dsproxy.QueryInfo;
import net.ttddyy.dsproxy.listener.QueryExecutionListener;
import net.ttddyy.dsproxy.support.ProxyDataSourceBuilder;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost the guard adds to one JDBC write: a single-row prepared {@code UPDATE} on H2 in memory, on one
 * manual-commit connection, committed every {@value #COMMIT_EVERY} operations, through
 *
 * <ul>
 *   <li>{@code raw}: the H2 DataSource itself;
 *   <li>{@code guardedOutsideRun}: {@link GuardedDataSource} with no run on the thread (pass-through);
 *   <li>{@code guardedInsideRun}: {@link GuardedDataSource} inside an enforcing run with a (never reached) row
 *       limit, so every write is classified, counted and checked;
 *   <li>{@code datasourceProxy}: datasource-proxy with a listener that adds up the update counts, the usual way to
 *       count rows at the JDBC layer without jobguard.
 * </ul>
 *
 * Each variant has its own database, connection and statement; the statement is prepared once per trial.
 *
 * <p>{@code interleavedInsideRun}: {@value #BLOCK} updates raw and {@value #BLOCK} guarded inside the run in each
 * invocation, in turn first, each block timed on the wall clock and the thread's CPU clock ({@code rawNanos},
 * {@code guardedNanos}, {@code rawCpuNanos}, {@code guardedCpuNanos}, summed per iteration): the ratio is not moved by
 * what else the machine does, as separate forks of {@code raw} and {@code guardedInsideRun} are.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(
        value = 5,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GuardOverheadBenchmark {

    static final int ROWS = 10_000;
    static final int COMMIT_EVERY = 1_000;
    static final String UPDATE = "UPDATE invoices SET amount = amount + 1 WHERE id = ?";

    /** One database, connection and prepared statement; subclasses choose the DataSource in front of H2. */
    @State(Scope.Thread)
    public abstract static class Target {
        private Connection connection;
        private PreparedStatement update;
        private int nextId = 1;
        private int sinceCommit;

        /** The DataSource the benchmark writes through, in front of {@code h2}. */
        abstract DataSource dataSource(DataSource h2) throws SQLException;

        @Setup(Level.Trial)
        public void open() throws SQLException {
            JdbcDataSource h2 = new JdbcDataSource();
            h2.setURL("jdbc:h2:mem:bench-" + getClass().getSimpleName() + ";DB_CLOSE_DELAY=-1");
            try (Connection setup = h2.getConnection();
                    Statement ddl = setup.createStatement()) {
                ddl.execute("DROP TABLE IF EXISTS invoices");
                ddl.execute("CREATE TABLE invoices (id INT PRIMARY KEY, amount BIGINT NOT NULL)");
                ddl.execute("INSERT INTO invoices SELECT x, 0 FROM SYSTEM_RANGE(1, " + ROWS + ")");
            }
            connection = dataSource(h2).getConnection();
            connection.setAutoCommit(false);
            update = connection.prepareStatement(UPDATE);
        }

        /** One single-row update; commits every {@value #COMMIT_EVERY} calls. */
        final int update() throws SQLException {
            update.setInt(1, nextId);
            nextId = nextId == ROWS ? 1 : nextId + 1;
            int rows = update.executeUpdate();
            if (++sinceCommit == COMMIT_EVERY) {
                connection.commit();
                sinceCommit = 0;
            }
            return rows;
        }

        @TearDown(Level.Trial)
        public void close() throws SQLException {
            connection.rollback();
            update.close();
            connection.close();
        }
    }

    public static class Raw extends Target {
        @Override
        DataSource dataSource(DataSource h2) {
            return h2;
        }
    }

    public static class GuardedOutsideRun extends Target {
        @Override
        DataSource dataSource(DataSource h2) {
            return GuardedDataSource.wrap(h2);
        }
    }

    /** A guarded run bound to the benchmark thread for the whole trial. */
    public static class GuardedInsideRun extends Target {
        private RunContext run;
        private RunContext.Scope scope;

        @Override
        DataSource dataSource(DataSource h2) {
            GuardPolicy policy = GuardPolicy.builder("bench")
                    .maxRowsChanged(Long.MAX_VALUE / 2)
                    .build();
            run = new RunContext(
                    UUID.randomUUID().toString(),
                    policy,
                    RunLimits.from(policy),
                    TablePatterns.of(TablePatterns.DEFAULT_IGNORED));
            scope = run.attach(); // Scope.Thread: JMH runs this setup on the benchmark thread
            return GuardedDataSource.wrap(h2);
        }

        @TearDown(Level.Trial)
        public void detach() {
            scope.close();
            // every update went through the run, so it must have counted them all (one row each)
            if (run.statementsExecuted() == 0 || run.rowsChanged() != run.statementsExecuted()) {
                throw new IllegalStateException("the run did not count the benchmark's writes: "
                        + run.statementsExecuted() + " statements, " + run.rowsChanged() + " rows");
            }
        }
    }

    /** datasource-proxy with a listener that adds up the rows each update changed. */
    public static class DatasourceProxy extends Target {
        private final AtomicLong rowsChanged = new AtomicLong();

        @Override
        DataSource dataSource(DataSource h2) {
            return ProxyDataSourceBuilder.create(h2)
                    .listener(new QueryExecutionListener() {
                        @Override
                        public void beforeQuery(ExecutionInfo execution, List<QueryInfo> queries) {}

                        @Override
                        public void afterQuery(ExecutionInfo execution, List<QueryInfo> queries) {
                            if (execution.getResult() instanceof Integer rows) {
                                rowsChanged.addAndGet(rows);
                            }
                        }
                    })
                    .build();
        }

        @TearDown(Level.Trial)
        public void check() {
            if (rowsChanged.get() == 0) {
                throw new IllegalStateException("the listener counted no rows");
            }
        }
    }

    static final int BLOCK = 1_000;

    @Benchmark
    @OperationsPerInvocation(2 * BLOCK)
    public int interleavedInsideRun(Raw raw, GuardedInsideRun guarded, RawGuardedSplit split) throws SQLException {
        return split.inTurn(() -> block(raw), () -> block(guarded));
    }

    private static int block(Target target) throws SQLException {
        int rows = 0;
        for (int i = 0; i < BLOCK; i++) {
            rows += target.update();
        }
        return rows;
    }

    @Benchmark
    public int raw(Raw target) throws SQLException {
        return target.update();
    }

    @Benchmark
    public int guardedOutsideRun(GuardedOutsideRun target) throws SQLException {
        return target.update();
    }

    @Benchmark
    public int guardedInsideRun(GuardedInsideRun target) throws SQLException {
        return target.update();
    }

    @Benchmark
    public int datasourceProxy(DatasourceProxy target) throws SQLException {
        return target.update();
    }
}
