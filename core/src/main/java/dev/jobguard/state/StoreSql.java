package dev.jobguard.state;

import dev.jobguard.internal.schema.StoreSchema.AddedColumn;
import java.util.List;

/**
 * The SQL {@link JdbcStateStore} runs, for one table prefix. Portable across PostgreSQL, MySQL/MariaDB and H2; the
 * per-database parts (column types) live only in the DDL resources.
 */
final class StoreSql {

    /** {@code jobguard_run.outcome} of a run in flight. */
    static final String RUNNING = "RUNNING";

    private static final String JOB_COLUMNS =
            "name, status, mode_override, reason, actor, changed_at, disabled_until, version";
    static final String ACTION_COLUMNS =
            "job, action, from_status, to_status, mode, reason, actor, acted_at, run_id, until_at";
    static final String RUN_COLUMNS = "id, job, node, mode, started_at, ended_at, outcome, trip_reason, trip_limit,"
            + " trip_figure, trip_table, trip_statement, detail, rows_changed, rows_lower_bound, rows_committed,"
            + " rows_rolled_back, trip_before_execution, occurrences";

    final String jobTable;
    final String runTable;
    final String runTableTable;
    final String actionTable;
    final String statementTable;

    final String readJobs;
    final String listJobs;
    final String listJobNames;
    final String jobVersion;
    final String insertJob;
    final String updateJob;
    final String expireJob;
    final String insertAction;
    final String history;
    final String historyOfAll;

    final String insertRun;
    final String endRunningRun;
    final String runOutcome;
    final String endRun;
    final String deleteRunTables;
    final String insertRunTable;
    final String recentRuns;
    final String filteredRuns;
    final String oneRun;
    final String abandonRuns;
    final String newestRun;
    final String countSkip;
    final String purgeRunTables;
    final String purgeRuns;
    final String purgeActions;
    final String deleteStatements;
    final String insertStatement;
    final String runStatements;
    final String purgeStatements;

    StoreSql(String prefix) {
        jobTable = prefix + "job";
        runTable = prefix + "run";
        runTableTable = prefix + "run_table";
        actionTable = prefix + "action";
        statementTable = prefix + "run_statement";

        readJobs = "SELECT " + JOB_COLUMNS + " FROM " + jobTable + " WHERE name IN (?, ?)";
        listJobs = "SELECT " + JOB_COLUMNS + " FROM " + jobTable + " WHERE name <> ? ORDER BY name";
        listJobNames = "SELECT name FROM " + jobTable + " WHERE name <> ? UNION SELECT DISTINCT job FROM " + runTable
                + " ORDER BY 1";
        jobVersion = "SELECT version, status FROM " + jobTable + " WHERE name = ?";
        insertJob = "INSERT INTO " + jobTable + " (" + JOB_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        updateJob = "UPDATE " + jobTable + " SET status = ?, mode_override = ?, reason = ?, actor = ?,"
                + " changed_at = ?, disabled_until = ?, version = version + 1 WHERE name = ? AND version = ?";
        expireJob = "UPDATE " + jobTable + " SET status = 'ENABLED', mode_override = NULL, actor = ?, changed_at = ?,"
                + " disabled_until = NULL, version = version + 1 WHERE name = ? AND version = ? AND status = 'DISABLED'";
        insertAction = "INSERT INTO " + actionTable + " (" + ACTION_COLUMNS + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        String newestActions = " ORDER BY acted_at DESC, id DESC LIMIT ?";
        history = "SELECT " + ACTION_COLUMNS + " FROM " + actionTable + " WHERE job = ?" + newestActions;
        historyOfAll = "SELECT " + ACTION_COLUMNS + " FROM " + actionTable + newestActions;

        insertRun = "INSERT INTO " + runTable + " (" + RUN_COLUMNS + ")"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
        String endColumns = "ended_at = ?, outcome = ?, trip_reason = ?, trip_limit = ?, trip_figure = ?,"
                + " trip_table = ?, trip_statement = ?, detail = ?, rows_changed = ?, rows_lower_bound = ?,"
                + " rows_committed = ?, rows_rolled_back = ?, trip_before_execution = ?, occurrences = ?";
        endRunningRun = "UPDATE " + runTable + " SET " + endColumns + " WHERE id = ? AND outcome = '" + RUNNING + "'";
        runOutcome = "SELECT outcome FROM " + runTable + " WHERE id = ?";
        endRun = "UPDATE " + runTable + " SET " + endColumns + " WHERE id = ?";
        deleteRunTables = "DELETE FROM " + runTableTable + " WHERE run_id = ?";
        insertRunTable = "INSERT INTO " + runTableTable + " (run_id, table_name, operation, rows_changed)"
                + " VALUES (?, ?, ?, ?)";
        String newestFirst = " ORDER BY started_at DESC, id LIMIT ?";
        recentRuns = "SELECT " + RUN_COLUMNS + " FROM " + runTable + " WHERE job = ?" + newestFirst;
        filteredRuns = "SELECT " + RUN_COLUMNS + " FROM " + runTable + " WHERE job = ? AND outcome = ? AND mode = ?"
                + newestFirst;
        oneRun = "SELECT " + RUN_COLUMNS + " FROM " + runTable + " WHERE id = ?";
        abandonRuns = "UPDATE " + runTable + " SET outcome = 'ABANDONED', ended_at = ?, detail = CONCAT('"
                + AbandonedRuns.BEFORE_NODE + "', COALESCE(node, '"
                + AbandonedRuns.UNKNOWN_NODE + "'), '" + AbandonedRuns.AFTER_NODE
                + "') WHERE job = ? AND outcome = '" + RUNNING + "' AND started_at < ?";
        newestRun = "SELECT id, outcome, mode, detail FROM " + runTable + " WHERE job = ?" + newestFirst;
        countSkip = "UPDATE " + runTable + " SET ended_at = ?, occurrences = COALESCE(occurrences, 1) + 1"
                + " WHERE id = ? AND outcome = 'SKIPPED'";
        String ended = "started_at < ? AND outcome <> '" + RUNNING + "'";
        purgeRunTables = "DELETE FROM " + runTableTable + " WHERE run_id IN (SELECT id FROM " + runTable + " WHERE "
                + ended + ")";
        purgeRuns = "DELETE FROM " + runTable + " WHERE " + ended;
        purgeActions = "DELETE FROM " + actionTable + " WHERE acted_at < ?";
        deleteStatements = "DELETE FROM " + statementTable + " WHERE run_id = ?";
        insertStatement = "INSERT INTO " + statementTable
                + " (run_id, seq, sql_text, table_name, operation, executions, rows_changed, not_preflighted)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)";
        runStatements = "SELECT sql_text, table_name, operation, executions, rows_changed, not_preflighted FROM "
                + statementTable
                + " WHERE run_id = ? ORDER BY seq";
        purgeStatements = "DELETE FROM " + statementTable + " WHERE run_id IN (SELECT id FROM " + runTable + " WHERE "
                + ended + ")";
    }

    /** Every table of the store, which {@code StoreSchema} checks (and creates). */
    List<String> tables() {
        return List.of(jobTable, runTable, runTableTable, actionTable, statementTable);
    }

    /** The columns added to the store's tables after their first release: an older table gets them. */
    List<AddedColumn> addedColumns() {
        return List.of(
                new AddedColumn(runTable, "rows_committed", "BIGINT"),
                new AddedColumn(runTable, "rows_rolled_back", "BIGINT"),
                new AddedColumn(runTable, "trip_before_execution", "BOOLEAN"),
                new AddedColumn(runTable, "occurrences", "BIGINT"),
                new AddedColumn(jobTable, "disabled_until", "TIMESTAMP(3)"),
                new AddedColumn(statementTable, "not_preflighted", "VARCHAR(500)"));
    }

    /** The query for the per-table rows of {@code runs} runs. */
    String runTablesOf(int runs) {
        StringBuilder sql = new StringBuilder("SELECT run_id, table_name, operation, rows_changed FROM ")
                .append(runTableTable)
                .append(" WHERE run_id IN (");
        for (int i = 0; i < runs; i++) {
            sql.append(i == 0 ? "?" : ", ?");
        }
        return sql.append(')').toString();
    }
}
