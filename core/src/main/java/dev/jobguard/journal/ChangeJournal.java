package dev.jobguard.journal;

import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.jdbc.GuardedSource;
import dev.jobguard.internal.journal.JournalTables;
import dev.jobguard.internal.sql.TableNames;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.StateStore;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The change journal's settings and its operator side: where the journal lives ({@code <prefix>change},
 * {@code <prefix>revert} in the database the jobs write to), which columns it never records, and
 * {@link #revert reverting} a run and {@link #purge purging} old journals.
 *
 * <pre>{@code
 * ChangeJournal journal = ChangeJournal.builder(pool).excludeColumns("users.password_hash", "*.ssn").build();
 * JobGuard guard = JobGuard.builder().stateStore(store).changeJournal(journal).build();
 * RevertReport report = guard.revert(runId, RevertOptions.DEFAULTS.withActor("alice"));
 * }</pre>
 */
public final class ChangeJournal {

    public static final String DEFAULT_TABLE_PREFIX = JournalTables.DEFAULT_TABLE_PREFIX;
    public static final boolean DEFAULT_AUTO_CREATE_TABLES = JournalTables.DEFAULT_AUTO_CREATE_TABLES;

    private static final Pattern PREFIX = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,40}");

    private final @Nullable DataSource dataSource;
    private final JournalTables tables;

    private ChangeJournal(Builder builder) {
        this.dataSource = builder.dataSource;
        this.tables = new JournalTables(builder.tablePrefix, builder.autoCreateTables, builder.excluded);
    }

    /** A journal in the DataSource's database with the defaults. */
    public static ChangeJournal create(DataSource dataSource) {
        return builder(dataSource).build();
    }

    /**
     * A journal that reads and reverts on {@code dataSource}.
     *
     * @param dataSource the database the guarded jobs write to (unguarded, or guarded: outside a run it passes
     *     through); reverts and purges run on it. Null for a journal that only records (reverts then refuse).
     */
    public static Builder builder(@Nullable DataSource dataSource) {
        return new Builder(dataSource);
    }

    /**
     * A journal beside the state store: in a {@link JdbcStateStore}'s database with its table prefix and table
     * creation setting; for any other store, a journal without a DataSource (runs record, reverts need one).
     */
    public static Builder builderBeside(StateStore store) {
        if (store instanceof JdbcStateStore jdbc) {
            return builder(jdbc.dataSource()).tablePrefix(jdbc.tablePrefix()).autoCreateTables(jdbc.autoCreateTables());
        }
        return builder(null);
    }

    public String tablePrefix() {
        return tables.tablePrefix();
    }

    /** The journal table's name. */
    public String changeTable() {
        return tables.changeTable();
    }

    /** The table recording reverts. */
    public String revertTable() {
        return tables.revertTable();
    }

    /** Whether the column is never recorded (a sensitive column excluded by table and column). */
    public boolean excludes(String table, String column) {
        return tables.excludes(table, column);
    }

    /**
     * What a guarded run writes this journal by: its tables and the columns it leaves out. Internal to jobguard (the
     * guard hands it to its runs): not API, it may change in any release.
     */
    public JournalTables tables() {
        return tables;
    }

    /**
     * Puts back what a run changed, from its journal, in one transaction: rows it inserted are deleted, rows it
     * updated get their columns back, rows it deleted are inserted again, in reverse order of the run. A row changed
     * after the run is never overwritten: the revert reports it and, unless {@code force}, applies nothing.
     *
     * @throws RevertException when the run has no journal, was reverted already, is itself a revert, or applying
     *     failed (then nothing was applied)
     */
    public RevertReport revert(String runId, RevertOptions options) {
        return revert(runId, options, null);
    }

    /**
     * {@link #revert(String, RevertOptions)}, and when it applies (not a dry run), {@code alsoInTransaction} writes
     * to the journal's database in the revert's transaction: both commit or neither.
     */
    public RevertReport revert(String runId, RevertOptions options, @Nullable RevertHook alsoInTransaction) {
        Objects.requireNonNull(options, "options");
        if (runId == null || runId.isBlank()) {
            throw new IllegalArgumentException("jobguard: revert needs a run id");
        }
        try (Connection connection = requireDataSource("revert").getConnection()) {
            ensureTables(connection);
            return new Reverter(this, connection, Dialect.of(connection), alsoInTransaction)
                    .revert(runId.strip(), options);
        } catch (SQLException failure) {
            throw new RevertException(
                    RevertException.Reason.FAILED,
                    "jobguard: revert of run " + runId + " failed, nothing was applied: " + failure.getMessage(),
                    failure);
        }
    }

    /** What else a revert writes in its transaction (the guard's audit entry). */
    @FunctionalInterface
    public interface RevertHook {
        void applied(Connection connection, RevertReport report) throws SQLException;
    }

    /** Whether the journal is in the database of the state store (so one transaction can write to both). */
    public boolean sharesDatabaseWith(JdbcStateStore store) {
        DataSource own = dataSource == null ? null : GuardedSource.unguarded(dataSource);
        return own != null && own == store.dataSource();
    }

    /**
     * Which of these runs were reverted: their changes were judged wrong, so they are no job's normal. Empty without a
     * DataSource.
     */
    public Set<String> reverted(Collection<String> runIds) {
        if (dataSource == null || runIds.isEmpty()) {
            return Set.of();
        }
        try (Connection connection = dataSource.getConnection()) {
            ensureTables(connection);
            StringBuilder sql = new StringBuilder("SELECT run_id FROM " + revertTable() + " WHERE run_id IN (");
            for (int i = 0; i < runIds.size(); i++) {
                sql.append(i == 0 ? "?" : ", ?");
            }
            Set<String> reverted = new HashSet<>();
            try (PreparedStatement select =
                    connection.prepareStatement(sql.append(')').toString())) {
                int index = 1;
                for (String runId : runIds) {
                    select.setString(index++, runId);
                }
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        reverted.add(rows.getString(1));
                    }
                }
            }
            return reverted;
        } catch (SQLException failure) {
            throw new IllegalStateException(
                    "jobguard: could not read which runs were reverted: " + failure.getMessage(), failure);
        }
    }

    /** The run's journal, in the order of its changes. */
    public List<JournalEntry> entries(String runId) {
        try (Connection connection = requireDataSource("read a journal").getConnection()) {
            ensureTables(connection);
            return entries(connection, runId);
        } catch (SQLException failure) {
            throw new IllegalStateException(
                    "jobguard: could not read the journal of run " + runId + ": " + failure.getMessage(), failure);
        }
    }

    /**
     * One page of the run's journal, in the order of the run: the entries after position {@code afterSeq} (0 for the
     * first page), at most {@code limit}. Reads only that page, whatever the run's size.
     */
    public List<JournalEntry> entries(String runId, long afterSeq, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("jobguard: a journal page holds at least one entry, not " + limit);
        }
        try (Connection connection = requireDataSource("read a journal").getConnection()) {
            ensureTables(connection);
            try (PreparedStatement select = connection.prepareStatement("SELECT seq, table_name, operation, row_key,"
                    + " before_image, after_image FROM " + changeTable()
                    + " WHERE run_id = ? AND seq > ? ORDER BY seq LIMIT ?")) {
                select.setString(1, runId);
                select.setLong(2, afterSeq);
                select.setInt(3, limit);
                return entries(select, runId);
            }
        } catch (SQLException failure) {
            throw new IllegalStateException(
                    "jobguard: could not read the journal of run " + runId + ": " + failure.getMessage(), failure);
        }
    }

    List<JournalEntry> entries(Connection connection, String runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT seq, table_name, operation, row_key,"
                + " before_image, after_image FROM " + changeTable() + " WHERE run_id = ? ORDER BY seq")) {
            select.setString(1, runId);
            return entries(select, runId);
        }
    }

    private static List<JournalEntry> entries(PreparedStatement select, String runId) throws SQLException {
        List<JournalEntry> entries = new ArrayList<>();
        try (ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                entries.add(new JournalEntry(
                        runId,
                        rows.getLong(1),
                        rows.getString(2),
                        rows.getString(3),
                        rows.getString(4),
                        rows.getString(5),
                        rows.getString(6)));
            }
        }
        return entries;
    }

    /**
     * Deletes the journals of runs whose last entry was written before {@code olderThan} (a run's journal goes
     * whole, never in part), and the records of reverts made before it.
     *
     * @return the journal rows deleted
     */
    public int purge(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        try (Connection connection = requireDataSource("purge").getConnection()) {
            ensureTables(connection);
            LocalDateTime before = LocalDateTime.ofInstant(olderThan, ZoneOffset.UTC);
            int deleted;
            // the derived table lets MySQL read the table it deletes from
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + changeTable()
                    + " WHERE run_id IN (SELECT run_id FROM (SELECT run_id FROM " + changeTable()
                    + " GROUP BY run_id HAVING MAX(created_at) < ?) old_runs)")) {
                delete.setObject(1, before);
                deleted = delete.executeUpdate();
            }
            try (PreparedStatement delete =
                    connection.prepareStatement("DELETE FROM " + revertTable() + " WHERE reverted_at < ?")) {
                delete.setObject(1, before);
                delete.executeUpdate();
            }
            if (!connection.getAutoCommit()) {
                connection.commit();
            }
            return deleted;
        } catch (SQLException failure) {
            throw new IllegalStateException("jobguard: purging journals failed: " + failure.getMessage(), failure);
        }
    }

    /** Makes sure the journal's tables exist, in auto-commit (DDL commits on MySQL), leaving the connection as it was. */
    void ensureTables(Connection connection) throws SQLException {
        tables.ensureTables(connection);
    }

    /** Whether reverts and purges can run: the journal has a DataSource to read it from. */
    public boolean canRevert() {
        return dataSource != null;
    }

    private DataSource requireDataSource(String doing) {
        if (dataSource == null) {
            throw new IllegalStateException("jobguard: cannot " + doing + ": the change journal has no DataSource."
                    + " Configure one: JobGuard.builder().changeJournal(ChangeJournal.create(dataSource)), or use a"
                    + " JdbcStateStore (its DataSource is used)");
        }
        return dataSource;
    }

    @Override
    public String toString() {
        return "ChangeJournal[" + changeTable() + ", excluded=" + tables.excludedCount() + " column pattern(s)]";
    }

    /** Builds a {@link ChangeJournal}; each setter checks its value at once. */
    public static final class Builder {
        private final @Nullable DataSource dataSource;
        private String tablePrefix = DEFAULT_TABLE_PREFIX;
        private boolean autoCreateTables = DEFAULT_AUTO_CREATE_TABLES;
        private final List<JournalTables.Excluded> excluded = new ArrayList<>();

        private Builder(@Nullable DataSource dataSource) {
            this.dataSource = dataSource;
        }

        /** The prefix of the journal's tables (default {@code jobguard_}): letters, digits and underscores. */
        public Builder tablePrefix(String tablePrefix) {
            if (tablePrefix == null || !PREFIX.matcher(tablePrefix).matches()) {
                throw new IllegalArgumentException("jobguard: invalid change journal tablePrefix '" + tablePrefix
                        + "': use letters, digits and underscores, starting with a letter or underscore");
            }
            this.tablePrefix = tablePrefix;
            return this;
        }

        /** Whether the journal creates its tables when they are missing (default true). */
        public Builder autoCreateTables(boolean autoCreateTables) {
            this.autoCreateTables = autoCreateTables;
            return this;
        }

        /**
         * Columns never recorded in a before- or after-image: {@code table.column}, or {@code *.column} for every
         * table. A revert leaves them as they are (a re-inserted row gets the column's default).
         */
        public Builder excludeColumns(String... columns) {
            return excludeColumns(List.of(columns));
        }

        public Builder excludeColumns(Collection<String> columns) {
            for (String column : columns) {
                int dot = column == null ? -1 : column.lastIndexOf('.');
                if (dot <= 0 || dot == column.length() - 1) {
                    throw invalidExcluded(column);
                }
                String table = column.substring(0, dot).strip();
                String normalizedTable = table.equals("*") ? "*" : TableNames.normalize(table);
                String normalizedColumn =
                        TableNames.normalize(column.substring(dot + 1).strip());
                if (normalizedTable == null || normalizedColumn == null) {
                    throw invalidExcluded(column);
                }
                excluded.add(new JournalTables.Excluded(TableNames.unqualified(normalizedTable), normalizedColumn));
            }
            return this;
        }

        private static IllegalArgumentException invalidExcluded(@Nullable String column) {
            return new IllegalArgumentException("jobguard: invalid excluded journal column '" + column
                    + "': write it as table.column, or *.column for every table");
        }

        public ChangeJournal build() {
            return new ChangeJournal(this);
        }
    }
}
