package dev.jobguard.state;

import dev.jobguard.GuardMode;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.StatementSummary;
import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.jdbc.GuardedDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import javax.sql.DataSource;

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
 * connection from the DataSource for each call and gives it back at once; a {@link GuardedDataSource} is unwrapped,
 * so the store's own writes are never counted nor rolled back by a guarded run. Every database failure becomes a
 * {@link StateStoreException}. Thread-safe.
 */
public final class JdbcStateStore implements StateStore {

    /** The prefix of the store's table names unless {@link Builder#tablePrefix} sets another. */
    public static final String DEFAULT_TABLE_PREFIX = "jobguard_";

    /** How long one statement of the store may take unless {@link Builder#queryTimeout} says otherwise. */
    public static final Duration DEFAULT_QUERY_TIMEOUT = Duration.ofSeconds(30);

    /** How many times {@link #change} tries before it gives up on concurrent changes of the same job. */
    static final int MAX_CHANGE_ATTEMPTS = 50;

    /** The most run ids one query for rows per table asks for; fewer are padded to a few fixed sizes. */
    private static final int[] RUN_ID_BATCHES = {1, 4, 16, 64, 256};

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,39}");

    private final boolean autoCreateTables;
    private final String tablePrefix;
    private final StoreSql sql;
    private final StoreConnections connections;
    private final DataSource dataSource;
    private final Duration queryTimeout;
    private final Clock clock;

    private JdbcStateStore(Builder builder) {
        DataSource dataSource = builder.dataSource instanceof GuardedDataSource guarded
                ? guarded.getTargetDataSource()
                : builder.dataSource;
        this.dataSource = dataSource;
        this.autoCreateTables = builder.autoCreateTables;
        this.tablePrefix = builder.tablePrefix;
        this.queryTimeout = builder.queryTimeout;
        this.clock = builder.clock;
        this.sql = new StoreSql(tablePrefix);
        this.connections = new StoreConnections(
                dataSource,
                new StoreSchema(tablePrefix, autoCreateTables, sql),
                sql,
                builder.queryTimeout.isZero() ? 0 : (int) Math.max(1, (builder.queryTimeout.toMillis() + 999) / 1000));
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
        JobStates states =
                connections.call("read the state of job '" + job + "'", sql.jobTable, false, (connection, dialect) -> {
                    JobState stored = null;
                    JobState global = null;
                    try (PreparedStatement select = connection.prepareStatement(sql.readJobs)) {
                        select.setString(1, job);
                        select.setString(2, JobState.GLOBAL);
                        try (ResultSet rows = select.executeQuery()) {
                            while (rows.next()) {
                                JobState state = StoreRows.jobState(rows, sql.jobTable);
                                if (state.job().equals(job)) {
                                    stored = state;
                                }
                                if (state.job().equals(JobState.GLOBAL)) {
                                    global = state;
                                }
                            }
                        }
                    }
                    return new JobStates(
                            stored == null ? JobState.initial(job) : stored,
                            global == null ? JobState.initial(JobState.GLOBAL) : global);
                });
        if (states.job().disableExpired(clock.instant()) || states.global().disableExpired(clock.instant())) {
            return new JobStates(current(states.job()), current(states.global()));
        }
        return states;
    }

    /**
     * The state, or when its time-boxed disable has ended, the state after jobguard enabled it again: the enable is
     * stored (with its audit entry) by the first node that reads the expired state; the others read it.
     */
    private JobState current(JobState state) {
        Instant now = clock.instant();
        if (!state.disableExpired(now)) {
            return state;
        }
        return connections.call(
                "enable job '" + state.job() + "' at the end of its time-boxed disable",
                sql.jobTable + " and " + sql.actionTable,
                true,
                (connection, dialect) -> {
                    try (PreparedStatement update = connection.prepareStatement(sql.expireJob)) {
                        update.setString(1, JobAction.SYSTEM_ACTOR);
                        StoreRows.setInstant(update, 2, now);
                        update.setString(3, state.job());
                        update.setLong(4, state.version());
                        if (update.executeUpdate() == 1) {
                            insertAction(
                                    connection,
                                    new JobAction(
                                            state.job(),
                                            JobAction.Kind.EXPIRED,
                                            JobStatus.DISABLED,
                                            JobStatus.ENABLED,
                                            null,
                                            state.reason(),
                                            JobAction.SYSTEM_ACTOR,
                                            now,
                                            null,
                                            state.disabledUntil()));
                            return new JobState(
                                    state.job(),
                                    JobStatus.ENABLED,
                                    null,
                                    state.reason(),
                                    JobAction.SYSTEM_ACTOR,
                                    StoreRows.millis(now),
                                    state.version() + 1,
                                    null);
                        }
                    }
                    // another node (or an operator) changed it first: what it stored holds
                    try (PreparedStatement select = connection.prepareStatement(sql.readJobs)) {
                        select.setString(1, state.job());
                        select.setString(2, state.job());
                        try (ResultSet rows = select.executeQuery()) {
                            return rows.next() ? StoreRows.jobState(rows, sql.jobTable) : JobState.initial(state.job());
                        }
                    }
                });
    }

    private void insertAction(Connection connection, JobAction action) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql.insertAction)) {
            StoreRows.bindAction(insert, action);
            insert.executeUpdate();
        }
    }

    @Override
    public JobState change(StateChange change) {
        Objects.requireNonNull(change, "change");
        for (int attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt++) {
            JobState changed = connections.call(
                    "change the state of job '" + change.job() + "'",
                    sql.jobTable + " and " + sql.actionTable,
                    true,
                    (connection, dialect) -> tryChange(connection, dialect, change));
            if (changed != null) {
                return changed;
            }
            pause(attempt);
        }
        throw new StateStoreException("jobguard: the state store gave up changing the state of job '" + change.job()
                + "' in table " + sql.jobTable + " after " + MAX_CHANGE_ATTEMPTS
                + " attempts: other nodes changed it every time");
    }

    /** One attempt, in one transaction with its audit entry: the state after it, or null when another node won. */
    private JobState tryChange(Connection connection, Dialect dialect, StateChange change) throws SQLException {
        try {
            JobState changed;
            JobStatus from = null;
            try (PreparedStatement select = connection.prepareStatement(sql.jobVersion)) {
                select.setString(1, change.job());
                try (ResultSet row = select.executeQuery()) {
                    if (row.next()) {
                        long version = row.getLong(1);
                        from = JobStatus.valueOf(row.getString(2));
                        changed = updateJob(connection, change, version)
                                ? StoreRows.stateAfter(change, version + 1)
                                : null;
                    } else {
                        insertJob(connection, change);
                        changed = StoreRows.stateAfter(change, 1);
                    }
                }
            }
            if (changed != null) {
                insertAction(connection, change.action(from));
            }
            return changed;
        } catch (SQLException lostRace) {
            if (!dialect.isDuplicateKey(lostRace) && !Dialect.isTransientConflict(lostRace)) {
                throw lostRace;
            }
            connection.rollback();
            return null;
        }
    }

    private void insertJob(Connection connection, StateChange change) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql.insertJob)) {
            insert.setString(1, change.job());
            StoreRows.bindChange(insert, 2, change);
            insert.setLong(8, 1);
            insert.executeUpdate();
        }
    }

    private boolean updateJob(Connection connection, StateChange change, long version) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement(sql.updateJob)) {
            StoreRows.bindChange(update, 1, change);
            update.setString(7, change.job());
            update.setLong(8, version);
            return update.executeUpdate() == 1;
        }
    }

    /** Waits a little, more after each lost race, so that concurrent changes spread out. */
    private static void pause(int attempt) {
        try {
            Thread.sleep(ThreadLocalRandom.current().nextInt(1 + Math.min(attempt * 2, 50)));
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new StateStoreException("jobguard: interrupted while retrying a state change", interrupted);
        }
    }

    @Override
    public List<JobState> jobs() {
        List<JobState> stored = connections.call("list the jobs", sql.jobTable, false, (connection, dialect) -> {
            List<JobState> jobs = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(sql.listJobs)) {
                select.setString(1, JobState.GLOBAL);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        jobs.add(StoreRows.jobState(rows, sql.jobTable));
                    }
                }
            }
            return jobs;
        });
        Instant now = clock.instant();
        return stored.stream()
                .map(state -> state.disableExpired(now) ? current(state) : state)
                .toList();
    }

    @Override
    public List<String> jobNames() {
        return connections.call("list the jobs", sql.jobTable, false, (connection, dialect) -> {
            List<String> names = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(sql.listJobNames)) {
                select.setString(1, JobState.GLOBAL);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        names.add(rows.getString(1));
                    }
                }
            }
            return names;
        });
    }

    @Override
    public void runStarted(RunRecord run) {
        Objects.requireNonNull(run, "run");
        connections.call("record the start of run " + run.runId(), sql.runTable, true, (connection, dialect) -> {
            if (dialect == Dialect.POSTGRESQL) {
                // the RUNNING marker need not survive a database crash (runEnded inserts the run when it is
                // missing): do not wait for its commit to reach the disk, which halves the fsyncs of a run
                try (Statement relaxed = connection.createStatement()) {
                    relaxed.execute("SET LOCAL synchronous_commit TO OFF");
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(sql.insertRun)) {
                StoreRows.bindRun(insert, run);
                insert.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public void runEnded(RunRecord run) {
        runEnded(run, List.of());
    }

    @Override
    public void runEnded(RunRecord run, List<StatementSummary> statements) {
        Objects.requireNonNull(run, "run");
        Objects.requireNonNull(statements, "statements");
        String tables = sql.runTable + ", " + sql.runTableTable + " and " + sql.statementTable;
        connections.call("record the end of run " + run.runId(), tables, true, (connection, dialect) -> {
            if (!endRun(connection, sql.endRunningRun, run)) {
                String stored = outcome(connection, run.runId());
                if (stored == null) {
                    try (PreparedStatement insert = connection.prepareStatement(sql.insertRun)) {
                        StoreRows.bindRun(insert, run);
                        insert.executeUpdate();
                    }
                } else {
                    // ended before (or abandoned by another node): the last word wins, rows per table included
                    endRun(connection, sql.endRun, run);
                    try (PreparedStatement delete = connection.prepareStatement(sql.deleteRunTables)) {
                        delete.setString(1, run.runId());
                        delete.executeUpdate();
                    }
                    try (PreparedStatement delete = connection.prepareStatement(sql.deleteStatements)) {
                        delete.setString(1, run.runId());
                        delete.executeUpdate();
                    }
                }
            }
            insertRowsByTable(connection, run);
            insertStatements(connection, run.runId(), StateStore.kept(statements));
            return null;
        });
    }

    private void insertStatements(Connection connection, String runId, List<StatementSummary> statements)
            throws SQLException {
        if (statements.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(sql.insertStatement)) {
            int seq = 0;
            for (StatementSummary statement : statements) {
                insert.setString(1, runId);
                insert.setInt(2, ++seq);
                insert.setString(3, statement.sql() == null ? "?" : statement.sql());
                insert.setString(4, StoreRows.cut(statement.table(), StoreRows.MAX_TABLE_LENGTH));
                insert.setString(5, statement.operation().name());
                insert.setLong(6, statement.executions());
                insert.setLong(7, statement.rows());
                insert.setString(8, StoreRows.cut(statement.notPreflighted(), StoreRows.MAX_NOT_PREFLIGHTED_LENGTH));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    @Override
    public List<StatementSummary> statements(String runId) {
        Objects.requireNonNull(runId, "runId");
        return connections.call(
                "read the statements of run " + runId, sql.statementTable, false, (connection, dialect) -> {
                    List<StatementSummary> statements = new ArrayList<>();
                    try (PreparedStatement select = connection.prepareStatement(sql.runStatements)) {
                        select.setString(1, runId);
                        try (ResultSet rows = select.executeQuery()) {
                            while (rows.next()) {
                                statements.add(new StatementSummary(
                                        rows.getString(1),
                                        rows.getString(2),
                                        StoreRows.operation(rows.getString(3), sql.statementTable),
                                        rows.getLong(4),
                                        rows.getLong(5),
                                        rows.getString(6)));
                            }
                        }
                    }
                    return statements;
                });
    }

    private static boolean endRun(Connection connection, String update, RunRecord run) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(update)) {
            int next = StoreRows.bindEnd(statement, 1, run);
            statement.setString(next, run.runId());
            return statement.executeUpdate() > 0;
        }
    }

    private String outcome(Connection connection, String runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement(sql.runOutcome)) {
            select.setString(1, runId);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private void insertRowsByTable(Connection connection, RunRecord run) throws SQLException {
        if (run.rowsByTable().isEmpty()) {
            return;
        }
        try (PreparedStatement insert = connection.prepareStatement(sql.insertRunTable)) {
            for (Map.Entry<String, Map<Operation, Long>> table :
                    run.rowsByTable().entrySet()) {
                for (Map.Entry<Operation, Long> count : table.getValue().entrySet()) {
                    insert.setString(1, run.runId());
                    insert.setString(2, table.getKey());
                    insert.setString(3, count.getKey().name());
                    insert.setLong(4, count.getValue());
                    insert.addBatch();
                }
            }
            insert.executeBatch();
        }
    }

    @Override
    public List<RunRecord> runs(String job, int limit) {
        Objects.requireNonNull(job, "job");
        if (checkLimit(limit) == 0) {
            return List.of();
        }
        return connections.call("read the runs of job '" + job + "'", sql.runTable, false, (connection, dialect) -> {
            try (PreparedStatement select = connection.prepareStatement(sql.recentRuns)) {
                select.setString(1, job);
                select.setInt(2, limit);
                return withRowsByTable(connection, runs(select));
            }
        });
    }

    @Override
    public List<RunRecord> runs(String job, RunOutcome outcome, GuardMode mode, int limit) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(mode, "mode");
        if (checkLimit(limit) == 0) {
            return List.of();
        }
        String doing =
                "read the " + (outcome == null ? "running" : outcome) + " " + mode + " runs of job '" + job + "'";
        return connections.call(doing, sql.runTable, false, (connection, dialect) -> {
            try (PreparedStatement select = connection.prepareStatement(sql.filteredRuns)) {
                select.setString(1, job);
                select.setString(2, outcome == null ? StoreSql.RUNNING : outcome.name());
                select.setString(3, mode.name());
                select.setInt(4, limit);
                return withRowsByTable(connection, runs(select));
            }
        });
    }

    @Override
    public Optional<RunRecord> run(String runId) {
        Objects.requireNonNull(runId, "runId");
        return connections.call("read run " + runId, sql.runTable, false, (connection, dialect) -> {
            try (PreparedStatement select = connection.prepareStatement(sql.oneRun)) {
                select.setString(1, runId);
                return withRowsByTable(connection, runs(select)).stream().findFirst();
            }
        });
    }

    private List<RunRecord> runs(PreparedStatement select) throws SQLException {
        List<RunRecord> runs = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                runs.add(StoreRows.run(rows, sql.runTable));
            }
        }
        return runs;
    }

    /** The runs with their rows per table, read with one query per {@code 256} runs. */
    private List<RunRecord> withRowsByTable(Connection connection, List<RunRecord> runs) throws SQLException {
        if (runs.isEmpty()) {
            return runs;
        }
        Map<String, Map<String, Map<Operation, Long>>> byRun = new HashMap<>();
        int largest = RUN_ID_BATCHES[RUN_ID_BATCHES.length - 1];
        for (int from = 0; from < runs.size(); from += largest) {
            List<RunRecord> batch = runs.subList(from, Math.min(runs.size(), from + largest));
            int size = batchSize(batch.size());
            try (PreparedStatement select = connection.prepareStatement(sql.runTablesOf(size))) {
                for (int i = 0; i < size; i++) {
                    select.setString(
                            i + 1, batch.get(Math.min(i, batch.size() - 1)).runId());
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        byRun.computeIfAbsent(rows.getString(1), run -> new HashMap<>())
                                .computeIfAbsent(rows.getString(2), table -> new EnumMap<>(Operation.class))
                                .put(StoreRows.operation(rows.getString(3), sql.runTableTable), rows.getLong(4));
                    }
                }
            }
        }
        List<RunRecord> complete = new ArrayList<>(runs.size());
        for (RunRecord run : runs) {
            Map<String, Map<Operation, Long>> tables = byRun.get(run.runId());
            complete.add(tables == null ? run : StoreRows.withTables(run, tables));
        }
        return complete;
    }

    private static int batchSize(int runs) {
        for (int size : RUN_ID_BATCHES) {
            if (size >= runs) {
                return size;
            }
        }
        throw new IllegalStateException("more than " + RUN_ID_BATCHES[RUN_ID_BATCHES.length - 1] + " runs");
    }

    @Override
    public String runSkipped(RunRecord run) {
        Objects.requireNonNull(run, "run");
        String tables = sql.runTable + " and " + sql.runTableTable;
        return connections.call("record the skipped run " + run.runId(), tables, true, (connection, dialect) -> {
            try (PreparedStatement select = connection.prepareStatement(sql.newestRun)) {
                select.setString(1, run.job());
                select.setInt(2, 1);
                try (ResultSet newest = select.executeQuery()) {
                    if (newest.next()
                            && RunOutcome.SKIPPED.name().equals(newest.getString("outcome"))
                            && run.mode().name().equals(newest.getString("mode"))
                            && Objects.equals(run.detail(), newest.getString("detail"))) {
                        String counted = newest.getString("id");
                        try (PreparedStatement update = connection.prepareStatement(sql.countSkip)) {
                            StoreRows.setInstant(update, 1, run.endedAt());
                            update.setString(2, counted);
                            if (update.executeUpdate() == 1) {
                                return counted;
                            }
                        }
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement(sql.insertRun)) {
                StoreRows.bindRun(insert, run);
                insert.executeUpdate();
            }
            return run.runId();
        });
    }

    @Override
    public List<JobAction> history(String job, int limit) {
        if (checkLimit(limit) == 0) {
            return List.of();
        }
        String doing = job == null ? "read the audit trail" : "read the audit trail of job '" + job + "'";
        return connections.call(doing, sql.actionTable, false, (connection, dialect) -> {
            try (PreparedStatement select = connection.prepareStatement(job == null ? sql.historyOfAll : sql.history)) {
                int next = 1;
                if (job != null) {
                    select.setString(next++, job);
                }
                select.setInt(next, limit);
                List<JobAction> actions = new ArrayList<>();
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        actions.add(StoreRows.action(rows, sql.actionTable));
                    }
                }
                return actions;
            }
        });
    }

    @Override
    public void append(JobAction action) {
        Objects.requireNonNull(action, "action");
        connections.call(
                "append to the audit trail of job '" + action.job() + "'",
                sql.actionTable,
                false,
                (connection, dialect) -> {
                    insertAction(connection, action);
                    return null;
                });
    }

    /**
     * Appends an action to the audit trail on the caller's connection, in its transaction: for a change another part
     * of jobguard makes in this store's database (a revert), so that both commit or neither.
     */
    public void append(Connection connection, JobAction action) throws SQLException {
        Objects.requireNonNull(action, "action");
        connections.call("check its tables", sql.actionTable, false, (own, dialect) -> null);
        insertAction(connection, action);
    }

    @Override
    public Purged purge(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        String tables = sql.runTable + ", " + sql.runTableTable + " and " + sql.actionTable;
        return connections.call("purge what is older than " + olderThan, tables, true, (connection, dialect) -> {
            int runs;
            int actions;
            try (PreparedStatement statements = connection.prepareStatement(sql.purgeStatements)) {
                StoreRows.setInstant(statements, 1, olderThan);
                statements.executeUpdate();
            }
            try (PreparedStatement runTables = connection.prepareStatement(sql.purgeRunTables);
                    PreparedStatement runRows = connection.prepareStatement(sql.purgeRuns);
                    PreparedStatement actionRows = connection.prepareStatement(sql.purgeActions)) {
                StoreRows.setInstant(runTables, 1, olderThan);
                runTables.executeUpdate();
                StoreRows.setInstant(runRows, 1, olderThan);
                runs = runRows.executeUpdate();
                StoreRows.setInstant(actionRows, 1, olderThan);
                actions = actionRows.executeUpdate();
            }
            return new Purged(runs, actions);
        });
    }

    @Override
    public int abandonRuns(String job, Instant startedBefore, Instant now) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(startedBefore, "startedBefore");
        Objects.requireNonNull(now, "now");
        return connections.call(
                "mark the abandoned runs of job '" + job + "'", sql.runTable, false, (connection, dialect) -> {
                    try (PreparedStatement update = connection.prepareStatement(sql.abandonRuns)) {
                        StoreRows.setInstant(update, 1, now);
                        update.setString(2, job);
                        StoreRows.setInstant(update, 3, startedBefore);
                        return update.executeUpdate();
                    }
                });
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
