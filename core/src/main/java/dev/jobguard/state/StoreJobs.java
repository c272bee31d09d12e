package dev.jobguard.state;

import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.state.StateStore.JobStates;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of {@link JdbcStateStore} for jobs' states and their audit trail: reads a job's state (enabling it again
 * when its time-boxed disable has ended), changes it (a trip's disable, an operator's enable) with optimistic
 * versions and retries, and appends to {@code jobguard_action} in the same transaction.
 */
final class StoreJobs {

    /** How many times {@link #change} tries before it gives up on concurrent changes of the same job. */
    static final int MAX_CHANGE_ATTEMPTS = 50;

    private final StoreSql sql;
    private final StoreConnections connections;
    private final Clock clock;

    StoreJobs(StoreSql sql, StoreConnections connections, Clock clock) {
        this.sql = sql;
        this.connections = connections;
        this.clock = clock;
    }

    JobStates read(String job) {
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

    JobState change(StateChange change) {
        for (int attempt = 1; attempt <= MAX_CHANGE_ATTEMPTS; attempt++) {
            Optional<JobState> changed = connections.call(
                    "change the state of job '" + change.job() + "'",
                    sql.jobTable + " and " + sql.actionTable,
                    true,
                    (connection, dialect) -> tryChange(connection, dialect, change));
            if (changed.isPresent()) {
                return changed.get();
            }
            pause(attempt);
        }
        throw new StateStoreException("jobguard: the state store gave up changing the state of job '" + change.job()
                + "' in table " + sql.jobTable + " after " + MAX_CHANGE_ATTEMPTS
                + " attempts: other nodes changed it every time");
    }

    /** One attempt, in one transaction with its audit entry: the state after it, or empty when another node won. */
    private Optional<JobState> tryChange(Connection connection, Dialect dialect, StateChange change)
            throws SQLException {
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
            return Optional.ofNullable(changed);
        } catch (SQLException lostRace) {
            if (!dialect.isDuplicateKey(lostRace) && !Dialect.isTransientConflict(lostRace)) {
                throw lostRace;
            }
            connection.rollback();
            return Optional.empty();
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

    List<JobState> jobs() {
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

    List<String> jobNames() {
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

    /** The audit trail of the job (of every job when null), newest first. */
    List<JobAction> history(@Nullable String job, int limit) {
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

    void append(JobAction action) {
        connections.run(
                "append to the audit trail of job '" + action.job() + "'",
                sql.actionTable,
                false,
                (connection, dialect) -> insertAction(connection, action));
    }

    /** Appends the action on the caller's connection, in its transaction, once the store's tables are known. */
    void append(Connection connection, JobAction action) throws SQLException {
        connections.run("check its tables", sql.actionTable, false, (own, dialect) -> {});
        insertAction(connection, action);
    }

    private void insertAction(Connection connection, JobAction action) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(sql.insertAction)) {
            StoreRows.bindAction(insert, action);
            insert.executeUpdate();
        }
    }
}
