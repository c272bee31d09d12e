package dev.jobguard.benchmarks;

import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.jdbc.GuardedDataSource;
import java.sql.SQLException;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
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
 * The guard's own code on the path of a write: {@code RunPathBenchmark}'s job (one {@code guard.run(...)} of
 * {@value RunPathBenchmark#UPDATES} single-row prepared UPDATEs, the public API and the default policy with a limit)
 * against a driver that does nothing ({@link NoopDriver}: each UPDATE reports one row at once). {@code guardedRun}
 * minus {@code raw} is what the guard's code costs per write, with the run's own work spread over its writes; what
 * the same job pays on a real database beyond that is the database's work slowed by the guard's code between its
 * calls.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
public class GuardCodeBenchmark {

    /** The driver that does nothing, the same behind the guard, and the guard. */
    @State(Scope.Thread)
    public static class Driver {
        DataSource raw;
        DataSource guarded;
        JobGuard guard;
        GuardPolicy policy;

        @Setup(Level.Trial)
        public void open() {
            raw = NoopDriver.dataSource();
            guarded = GuardedDataSource.wrap(raw);
            guard = JobGuard.builder().build();
            policy = GuardPolicy.builder("guard-code").maxRowsChanged(1_000_000).build();
        }
    }

    @Benchmark
    @OperationsPerInvocation(RunPathBenchmark.UPDATES)
    public int raw(Driver driver) throws SQLException {
        return RunPathBenchmark.job(driver.raw);
    }

    @Benchmark
    @OperationsPerInvocation(RunPathBenchmark.UPDATES)
    public RunReport guardedRun(Driver driver) {
        RunReport report = driver.guard.run(driver.policy, () -> RunPathBenchmark.job(driver.guarded));
        if (report.outcome() != RunOutcome.SUCCEEDED || report.rowsChanged() != RunPathBenchmark.UPDATES) {
            throw new IllegalStateException("the guarded job did not count its updates: " + report.summary());
        }
        return report;
    }
}
