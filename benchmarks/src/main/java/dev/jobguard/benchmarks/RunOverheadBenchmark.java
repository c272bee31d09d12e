package dev.jobguard.benchmarks;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.state.JdbcStateStore;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * What the guard's state costs per run on PostgreSQL, against the peer every clustered scheduler already pays: one
 * ShedLock JDBC lock and unlock.
 *
 * <ul>
 *   <li>{@code guardedEmptyRun}: {@code JobGuard.run} of an empty job with a {@link JdbcStateStore}: the job's state
 *       read, the run's RUNNING record, its end record, and the baseline (cached per job, refreshed each minute);
 *   <li>{@code shedLockRoundTrip}: {@link JdbcTemplateLockProvider} lock + unlock of one lock name.
 * </ul>
 *
 * The database comes from {@code JOBGUARD_BENCH_POSTGRES_URL} (default {@code jdbc:postgresql://127.0.0.1:5432/test},
 * user {@code postgres}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(
        value = 2,
        jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@State(Scope.Benchmark)
public class RunOverheadBenchmark {

    private HikariDataSource pool;
    private JobGuard guard;
    private GuardPolicy policy;
    private LockProvider lockProvider;
    private String lockName;

    @Setup(Level.Trial)
    public void open() throws SQLException {
        pool = BenchPostgres.pool();
        try (Connection connection = pool.getConnection();
                Statement ddl = connection.createStatement()) {
            ddl.execute("CREATE TABLE IF NOT EXISTS shedlock (name VARCHAR(64) NOT NULL, lock_until TIMESTAMP NOT NULL,"
                    + " locked_at TIMESTAMP NOT NULL, locked_by VARCHAR(255) NOT NULL, PRIMARY KEY (name))");
        }
        guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(pool))
                .nodeName("bench")
                .build();
        policy = GuardPolicy.builder("bench-" + UUID.randomUUID().toString().substring(0, 8))
                .maxRowsChanged(1000)
                .build();
        lockProvider = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(pool))
                .usingDbTime()
                .build());
        lockName = "bench-lock-" + UUID.randomUUID().toString().substring(0, 8);
    }

    @TearDown(Level.Trial)
    public void close() {
        guard.close();
        pool.close();
    }

    @Benchmark
    public RunOutcome guardedEmptyRun() {
        RunReport report = guard.run(policy, () -> {});
        if (report.outcome() != RunOutcome.SUCCEEDED) {
            throw new IllegalStateException("the benchmark's run did not succeed: " + report.summary());
        }
        return report.outcome();
    }

    @Benchmark
    public boolean shedLockRoundTrip() {
        var lock = lockProvider
                .lock(new LockConfiguration(Instant.now(), lockName, Duration.ofMinutes(1), Duration.ZERO))
                .orElseThrow(() -> new IllegalStateException("lock " + lockName + " is held"));
        lock.unlock();
        return true;
    }
}
