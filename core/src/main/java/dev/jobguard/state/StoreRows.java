package dev.jobguard.state;

import dev.jobguard.GuardMode;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.Trip;
import dev.jobguard.TripReason;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Maps {@link JobState}s and {@link RunRecord}s to the columns of {@link StoreSql} and back. Instants are stored as
 * UTC date-times to the millisecond; texts longer than their column are cut.
 */
final class StoreRows {

    static final int MAX_REASON_LENGTH = 1000;
    static final int MAX_ACTOR_LENGTH = 200;
    static final int MAX_NODE_LENGTH = 200;
    static final int MAX_TABLE_LENGTH = 255;
    /** Characters kept of why a statement was not counted before it ran. */
    static final int MAX_NOT_PREFLIGHTED_LENGTH = 500;

    static final int MAX_STATEMENT_LENGTH = 1000;

    private StoreRows() {}

    /** Binds {@code status, mode_override, reason, actor, changed_at, disabled_until} from {@code first} on. */
    static void bindChange(PreparedStatement statement, int first, StateChange change) throws SQLException {
        statement.setString(first, change.status().name());
        statement.setString(
                first + 1,
                change.modeOverride() == null ? null : change.modeOverride().name());
        statement.setString(first + 2, cut(change.reason(), MAX_REASON_LENGTH));
        statement.setString(first + 3, cut(change.actor(), MAX_ACTOR_LENGTH));
        setInstant(statement, first + 4, change.at());
        setInstant(statement, first + 5, change.until());
    }

    /** Binds every column of {@link StoreSql#ACTION_COLUMNS}, in order. */
    static void bindAction(PreparedStatement statement, JobAction action) throws SQLException {
        statement.setString(1, action.job());
        statement.setString(2, action.kind().name());
        statement.setString(
                3, action.fromStatus() == null ? null : action.fromStatus().name());
        statement.setString(
                4, action.toStatus() == null ? null : action.toStatus().name());
        statement.setString(5, action.mode() == null ? null : action.mode().name());
        statement.setString(6, cutOrNull(action.reason(), MAX_REASON_LENGTH));
        statement.setString(7, cut(action.actor(), MAX_ACTOR_LENGTH));
        setInstant(statement, 8, action.at());
        statement.setString(9, action.runId());
        setInstant(statement, 10, action.until());
    }

    static JobAction action(ResultSet row, String table) throws SQLException {
        String from = row.getString("from_status");
        String to = row.getString("to_status");
        String mode = row.getString("mode");
        return new JobAction(
                row.getString("job"),
                parse(JobAction.Kind.class, row.getString("action"), "action", table),
                from == null ? null : parse(JobStatus.class, from, "from_status", table),
                to == null ? null : parse(JobStatus.class, to, "to_status", table),
                mode == null ? null : parse(GuardMode.class, mode, "mode", table),
                row.getString("reason"),
                row.getString("actor"),
                Objects.requireNonNull(getInstant(row, "acted_at"), "at"),
                row.getString("run_id"),
                getInstant(row, "until_at"));
    }

    /** The state a change leaves, as it is stored. */
    static JobState stateAfter(StateChange change, long version) {
        return new JobState(
                change.job(),
                change.status(),
                change.modeOverride(),
                cut(change.reason(), MAX_REASON_LENGTH),
                cut(change.actor(), MAX_ACTOR_LENGTH),
                millis(change.at()),
                version,
                millisOrNull(change.until()));
    }

    static JobState jobState(ResultSet row, String table) throws SQLException {
        String mode = row.getString("mode_override");
        return new JobState(
                row.getString("name"),
                parse(JobStatus.class, row.getString("status"), "status", table),
                mode == null ? null : parse(GuardMode.class, mode, "mode_override", table),
                row.getString("reason"),
                row.getString("actor"),
                getInstant(row, "changed_at"),
                row.getLong("version"),
                getInstant(row, "disabled_until"));
    }

    /** Binds every column of {@link StoreSql#RUN_COLUMNS}, in order. */
    static void bindRun(PreparedStatement statement, RunRecord run) throws SQLException {
        statement.setString(1, run.runId());
        statement.setString(2, run.job());
        statement.setString(3, cutOrNull(run.node(), MAX_NODE_LENGTH));
        statement.setString(4, run.mode().name());
        setInstant(statement, 5, run.startedAt());
        bindEnd(statement, 6, run);
    }

    /**
     * Binds {@code ended_at, outcome, trip_reason, trip_limit, trip_figure, trip_table, trip_statement, detail,
     * rows_changed, rows_lower_bound, rows_committed, rows_rolled_back, trip_before_execution, occurrences} from {@code first} on.
     *
     * @return the next parameter's index
     */
    static int bindEnd(PreparedStatement statement, int first, RunRecord run) throws SQLException {
        Trip trip = run.trip();
        setInstant(statement, first, run.endedAt());
        statement.setString(
                first + 1,
                run.outcome() == null ? StoreSql.RUNNING : run.outcome().name());
        statement.setString(first + 2, trip == null ? null : trip.reason().name());
        setLong(statement, first + 3, trip == null ? null : trip.limit());
        setLong(statement, first + 4, trip == null ? null : trip.figure());
        statement.setString(first + 5, trip == null ? null : cutOrNull(trip.table(), MAX_TABLE_LENGTH));
        statement.setString(first + 6, trip == null ? null : cutOrNull(trip.statement(), MAX_STATEMENT_LENGTH));
        statement.setString(first + 7, run.detail());
        statement.setLong(first + 8, run.rowsChanged());
        statement.setBoolean(first + 9, run.rowCountIsLowerBound());
        setLong(statement, first + 10, run.rowsCommitted());
        setLong(statement, first + 11, run.rowsRolledBack());
        if (trip == null) {
            statement.setNull(first + 12, Types.BOOLEAN);
        } else {
            statement.setBoolean(first + 12, trip.beforeExecution());
        }
        statement.setLong(first + 13, run.occurrences());
        return first + 14;
    }

    /** A run from its row, without its rows per table. */
    static RunRecord run(ResultSet row, String table) throws SQLException {
        String outcome = row.getString("outcome");
        String tripReason = row.getString("trip_reason");
        Trip trip = tripReason == null
                ? null
                : new Trip(
                        parse(TripReason.class, tripReason, "trip_reason", table),
                        row.getLong("trip_limit"),
                        row.getLong("trip_figure"),
                        row.getString("trip_table"),
                        row.getString("trip_statement"),
                        row.getBoolean("trip_before_execution")); // null (older runs): false
        return new RunRecord(
                row.getString("id"),
                row.getString("job"),
                row.getString("node"),
                parse(GuardMode.class, row.getString("mode"), "mode", table),
                Objects.requireNonNull(getInstant(row, "started_at"), "startedAt"),
                getInstant(row, "ended_at"),
                StoreSql.RUNNING.equals(outcome) ? null : parse(RunOutcome.class, outcome, "outcome", table),
                trip,
                row.getString("detail"),
                row.getLong("rows_changed"),
                row.getBoolean("rows_lower_bound"),
                Map.of(),
                getLong(row, "rows_committed"),
                getLong(row, "rows_rolled_back"),
                Math.max(1, row.getLong("occurrences"))); // null (older runs): one
    }

    static RunRecord withTables(RunRecord run, Map<String, Map<Operation, Long>> rowsByTable) {
        return new RunRecord(
                run.runId(),
                run.job(),
                run.node(),
                run.mode(),
                run.startedAt(),
                run.endedAt(),
                run.outcome(),
                run.trip(),
                run.detail(),
                run.rowsChanged(),
                run.rowCountIsLowerBound(),
                rowsByTable,
                run.rowsCommitted(),
                run.rowsRolledBack(),
                run.occurrences());
    }

    static Operation operation(String value, String table) {
        return parse(Operation.class, value, "operation", table);
    }

    /** The instant as stored: to the millisecond. */
    static Instant millis(Instant instant) {
        return instant.truncatedTo(ChronoUnit.MILLIS);
    }

    /** {@link #millis}, or null for none. */
    static @Nullable Instant millisOrNull(@Nullable Instant instant) {
        return instant == null ? null : millis(instant);
    }

    static void setInstant(PreparedStatement statement, int index, @Nullable Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(index, Types.TIMESTAMP);
        } else {
            statement.setObject(index, LocalDateTime.ofInstant(millis(instant), ZoneOffset.UTC));
        }
    }

    static @Nullable Instant getInstant(ResultSet row, String column) throws SQLException {
        LocalDateTime utc = row.getObject(column, LocalDateTime.class);
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC);
    }

    private static @Nullable Long getLong(ResultSet row, String column) throws SQLException {
        long value = row.getLong(column);
        return row.wasNull() ? null : value;
    }

    private static void setLong(PreparedStatement statement, int index, @Nullable Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    static String cut(String text, int length) {
        return text.length() <= length ? text : text.substring(0, length);
    }

    /** {@link #cut}, or null for none. */
    static @Nullable String cutOrNull(@Nullable String text, int length) {
        return text == null ? null : cut(text, length);
    }

    private static <E extends Enum<E>> E parse(Class<E> type, @Nullable String value, String column, String table) {
        try {
            return Enum.valueOf(type, value);
        } catch (IllegalArgumentException | NullPointerException unknown) {
            throw new StateStoreException("jobguard: unknown value '" + value + "' in column " + column + " of table "
                    + table + "; was it written by a newer jobguard?");
        }
    }
}
