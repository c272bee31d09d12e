package dev.jobguard.state;

import dev.jobguard.GuardMode;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.StatementSummary;
import dev.jobguard.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The SQL of {@link JdbcStateStore} for runs' records: a run's start and end with its rows per table
 * ({@code jobguard_run_table}) and its statements, a skipped run counted into the one before, the runs read back with
 * their rows per table, and the purge and the abandonment of old runs.
 */
final class StoreRuns {

    /** The most run ids one query for rows per table asks for; fewer are padded to a few fixed sizes. */
    private static final int[] RUN_ID_BATCHES = {1, 4, 16, 64, 256};

    private final StoreSql sql;
    private final StoreConnections connections;

    StoreRuns(StoreSql sql, StoreConnections connections) {
        this.sql = sql;
        this.connections = connections;
    }

    void runStarted(RunRecord run) {
        connections.run("record the start of run " + run.runId(), sql.runTable, true, (connection, dialect) -> {
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
        });
    }

    void runEnded(RunRecord run, List<StatementSummary> statements) {
        String tables = sql.runTable + ", " + sql.runTableTable + " and " + sql.statementTable;
        connections.run("record the end of run " + run.runId(), tables, true, (connection, dialect) -> {
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
                insert.setString(4, StoreRows.cutOrNull(statement.table(), StoreRows.MAX_TABLE_LENGTH));
                insert.setString(5, statement.operation().name());
                insert.setLong(6, statement.executions());
                insert.setLong(7, statement.rows());
                insert.setString(
                        8, StoreRows.cutOrNull(statement.notPreflighted(), StoreRows.MAX_NOT_PREFLIGHTED_LENGTH));
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    List<StatementSummary> statements(String runId) {
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

    private @Nullable String outcome(Connection connection, String runId) throws SQLException {
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

    List<RunRecord> runs(String job, int limit) {
        return connections.call("read the runs of job '" + job + "'", sql.runTable, false, (connection, dialect) -> {
            try (PreparedStatement select = connection.prepareStatement(sql.recentRuns)) {
                select.setString(1, job);
                select.setInt(2, limit);
                return withRowsByTable(connection, runs(select));
            }
        });
    }

    List<RunRecord> runs(String job, @Nullable RunOutcome outcome, GuardMode mode, int limit) {
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

    Optional<RunRecord> run(String runId) {
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

    String runSkipped(RunRecord run) {
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

    StateStore.Purged purge(Instant olderThan) {
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
            return new StateStore.Purged(runs, actions);
        });
    }

    int abandonRuns(String job, Instant startedBefore, Instant now) {
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
}
