package dev.jobguard.state;

import dev.jobguard.GuardMode;
import dev.jobguard.RunOutcome;
import dev.jobguard.StatementSummary;
import dev.jobguard.internal.jdbc.GuardedSource;
import dev.jobguard.internal.schema.StoreSchema;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StateStore} in tables of a PostgreSQL, MySQL/MariaDB or H2 database, shared by every node that uses the
 * same database: {@code jobguard_job}, {@code jobguard_run}, {@code jobguard_run_table} and the audit trail
 * {@code jobguard_action}.
 *
 * <pre>{@code
 * StateStore store = JdbcStateStore.create(pool);
 * StateStore managed = JdbcStateStore.builder(pool).autoCreateTables(false).tablePrefix("ops_jobguard_").build();
 * }</pre>
 *
 * <p>On first use the store checks that its tables exist and, unless {@link Builder#autoCreateTables} is off, creates
 * them from the DDL it ships in {@code dev/jobguard/state/schema-postgresql.sql}, {@code schema-mysql.sql} or
 * {@code schema-h2.sql} (the same files serve teams that manage their schema with Flyway or Liquibase). It borrows a
 * connection from the DataSource for each call and gives it back at once; a {@code GuardedDataSource} is unwrapped,
 * so the store's own writes are never counted nor rolled back by a guarded run. Every database failure becomes a
 * {@link StateStoreException}. Thread-safe.
 *
 * <p>The store checks its arguments and hands each call to one of its package-private parts: {@link StoreJobs} (jobs'
 * states, their changes and the audit trail) and {@link StoreRuns} (runs' records, their rows per table and
 * statements, purge); both borrow connections through {@link StoreConnections}, which checks (or creates) the tables
 * with the internal {@code StoreSchema} on the first call, and bind and read rows with {@link StoreSql} and {@link StoreRows}.
 */
public final class JdbcStateStore implements StateStore {

    /** The prefix of the store's table names unless {@link Builder#tablePrefix} sets another. */
    public static final String DEFAULT_TABLE_PREFIX = "jobguard_";

    /** The store's tables' owner, as {@code StoreSchema}'s messages name it, and the folder of its DDL. */
    private static final StoreSchema.Owner SCHEMA_OWNER = new StoreSchema.Owner(
            "the state store", "dev/jobguard/state/", "JdbcStateStore.builder(dataSource).autoCreateTables(true)");

    /** How long one statement of the store may take unless {@link Builder#queryTimeout} says otherwise. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");

    private final boolean autoCreateTables;
    private final String tablePrefix;
    private final DataSource dataSource;
    private final Duration queryTimeout;
    private final StoreJobs jobs;
    private final StoreRuns runs;

    private JdbcStateStore(Builder builder) {
        DataSource dataSource = GuardedSource.unguarded(builder.dataSource);
        this.dataSource = dataSource;
        this.autoCreateTables = builder.autoCreateTables;
        this.tablePrefix = builder.tablePrefix;
        this.queryTimeout = builder.queryTimeout;
        StoreSql sql = new StoreSql(tablePrefix);
        StoreConnections connections = new StoreConnections(
                dataSource,
                new StoreSchema(SCHEMA_OWNER, tablePrefix, autoCreateTables, sql.tables(), sql.addedColumns()),
                sql,
                builder.queryTimeout.isZero() ? 0 : (int) Math.max(1, (builder.queryTimeout.toMillis() + 999) / 1000));
        this.jobs = new StoreJobs(sql, connections, builder.clock);
        this.runs = new StoreRuns(sql, connections);
    }

    /** A store on the DataSource with the defaults: tables {@code jobguard_*}, created when missing. */
    public static JdbcStateStore create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    public static Builder builder(DataSource dataSource) {
        return new Builder(dataSource);
    }

    /** The DataSource the store's tables are in (unguarded). */
    public DataSource dataSource() {
        return dataSource;
    }

    public boolean autoCreateTables() {
        return autoCreateTables;
    }

    public String tablePrefix() {
        return tablePrefix;
    }

    /** How long one statement of the store may take; zero for no limit. */
    public Duration queryTimeout() {
        return queryTimeout;
    }

    @Override
    public JobStates read(String job) {
        Objects.requireNonNull(job, "job");
        return jobs.read(job);
    }

    @Override
    public JobState change(StateChange change) {
        Objects.requireNonNull(change, "change");
        return jobs.change(change);
    }

    @Override
    public List<JobState> jobs() {
        return jobs.jobs();
    }

    @Override
    public List<String> jobNames() {
        return jobs.jobNames();
    }

    @Override
    public void runStarted(RunRecord run) {
        Objects.requireNonNull(run, "run");
        runs.runStarted(run);
    }

    @Override
    public void runEnded(RunRecord run) {
        runEnded(run, List.of());
    }

    @Override
    public void runEnded(RunRecord run, List<StatementSummary> statements) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(statements, "statements");
        runs.runEnded(run, statements);
    }

    @Override
    public List<StatementSummary> statements(String runId) {
        Objects.requireNonNull(runId, "runId");
        return runs.statements(runId);
    }

    @Override
    public List<RunRecord> runs(String job, int limit) {
        Objects.requireNonNull(job, "job");
        return checkLimit(limit) == 0 ? List.of() : runs.runs(job, limit);
    }

    @Override
    public List<RunRecord> runs(String job, @Nullable RunOutcome outcome, GuardMode mode, int limit) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(mode, "mode");
        return checkLimit(limit) == 0 ? List.of() : runs.runs(job, outcome, mode, limit);
    }

    @Override
    public Optional<RunRecord> run(String runId) {
        Objects.requireNonNull(runId, "runId");
        return runs.run(runId);
    }

    @Override
    public String runSkipped(RunRecord run) {
        Objects.requireNonNull(run, "run");
        return runs.runSkipped(run);
    }

    @Override
    public List<JobAction> history(@Nullable String job, int limit) {
        return checkLimit(limit) == 0 ? List.of() : jobs.history(job, limit);
    }

    @Override
    public void append(JobAction action) {
        Objects.requireNonNull(action, "action");
        jobs.append(action);
    }

    /**
     * Appends an action to the audit trail on the caller's connection, in its transaction: for a change another part
     * of jobguard makes in this store's database (a revert), so that both commit or neither.
     */
    public void append(Connection connection, JobAction action) throws SQLException {
        Objects.requireNonNull(action, "action");
        jobs.append(connection, action);
    }

    @Override
    public Purged purge(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        return runs.purge(olderThan);
    }

    @Override
    public int abandonRuns(String job, Instant startedBefore, Instant now) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(startedBefore, "startedBefore");
        Objects.requireNonNull(now, "now");
        return runs.abandonRuns(job, startedBefore, now);
    }

    private static int checkLimit(int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        return limit;
    }

    @Override
    public String toString() {
        return "JdbcStateStore[tablePrefix=" + tablePrefix + ", autoCreateTables=" + autoCreateTables + "]";
    }

    /** Configures a {@link JdbcStateStore}. */
    public static final class Builder {
        private final DataSource dataSource;
        private boolean autoCreateTables = true;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private Duration queryTimeout = DEFAULT_QUERY_TIMEOUT;
        private Clock clock = Clock.systemUTC();

        private Builder(DataSource dataSource) {
            this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        }

        /**
         * Whether the store creates its tables, from the DDL it ships, when they are missing (default true). Off,
         * a missing table makes every call fail with a {@link StateStoreException} that names the DDL to run.
         */
        public Builder autoCreateTables(boolean autoCreateTables) {
            this.autoCreateTables = autoCreateTables;
            return this;
        }

        /**
         * The prefix of the table names (default {@code jobguard_}): letters, digits and
         * underscores, starting with a letter or underscore, at most 40 characters.
         */
        public Builder tablePrefix(String tablePrefix) {
            Objects.requireNonNull(tablePrefix, "tablePrefix");
            if (!PREFIX.matcher(tablePrefix).matches()) {
                throw new IllegalArgumentException("jobguard: tablePrefix '" + tablePrefix + "' must be letters,"
                        + " digits and underscores, start with a letter or underscore, and be at most 40"
                        + " characters long");
            }
            this.tablePrefix = tablePrefix;
            return this;
        }

        /**
         * How long one statement of the store may take (default {@link #DEFAULT_QUERY_TIMEOUT}; rounded up to whole seconds; zero
         * for no limit) before it is cancelled and the call fails: a table or row lock held elsewhere (an operator's
         * open transaction, a migration) must not block the scheduler thread that runs the job for ever.
         */
        public Builder queryTimeout(Duration queryTimeout) {
            Objects.requireNonNull(queryTimeout, "queryTimeout");
            if (queryTimeout.isNegative() || queryTimeout.toSeconds() > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("jobguard: invalid queryTimeout (" + queryTimeout
                        + "): use zero (no limit) or a positive duration, e.g. PT30S");
            }
            this.queryTimeout = queryTimeout;
            return this;
        }

        /**
         * The clock that decides when a time-boxed disable has ended (default the system's). Each node compares the
         * stored end with its own clock, so keep the nodes' clocks in sync (NTP).
         */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public JdbcStateStore build() {
            return new JdbcStateStore(this);
        }
    }
}
