package dev.jobguard.internal.journal;

import dev.jobguard.internal.schema.SchemaException;
import dev.jobguard.internal.schema.StoreSchema;
import dev.jobguard.internal.sql.TableNames;
import dev.jobguard.state.StateStoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a run's journal is written and what it leaves out: the tables ({@code <prefix>change}, {@code <prefix>revert}),
 * whether they are created when missing, and the columns never recorded. A {@code ChangeJournal} is built on one;
 * internal to jobguard.
 */
public final class JournalTables {

    public static final String DEFAULT_TABLE_PREFIX = "jobguard_";
    public static final boolean DEFAULT_AUTO_CREATE_TABLES = true;

    /** The journal of a run given none: the default tables, nothing excluded. */
    public static final JournalTables DEFAULTS =
            new JournalTables(DEFAULT_TABLE_PREFIX, DEFAULT_AUTO_CREATE_TABLES, List.of());

    /**
     * A column never recorded, normalized ({@link TableNames#normalize}, unqualified table).
     *
     * @param table the table, or {@code *} for every table
     */
    public record Excluded(String table, String column) {}

    private final String tablePrefix;
    private final List<Excluded> excluded;
    private final StoreSchema schema;

    public JournalTables(String tablePrefix, boolean autoCreateTables, List<Excluded> excluded) {
        this.tablePrefix = tablePrefix;
        this.excluded = List.copyOf(excluded);
        this.schema = StoreSchema.journal(tablePrefix, autoCreateTables);
    }

    public String tablePrefix() {
        return tablePrefix;
    }

    /** The journal table's name. */
    public String changeTable() {
        return tablePrefix + "change";
    }

    /** The table recording reverts. */
    public String revertTable() {
        return tablePrefix + "revert";
    }

    /** How many column patterns are excluded. */
    public int excludedCount() {
        return excluded.size();
    }

    /** Whether the column is never recorded (a sensitive column excluded by table and column). */
    public boolean excludes(String table, String column) {
        String normalized = TableNames.unqualified(
                Objects.requireNonNull(TableNames.normalize(table), "a journaled table has a name"));
        String name = column.toLowerCase(Locale.ROOT);
        for (Excluded pattern : excluded) {
            if ((pattern.table().equals("*") || pattern.table().equals(normalized))
                    && pattern.column().equals(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Makes sure the journal's tables exist, in auto-commit (DDL commits on MySQL), leaving the connection as it was.
     *
     * @throws StateStoreException when a table is missing and cannot or may not be created, with the message that says
     *     what to do
     */
    public void ensureTables(Connection connection) throws SQLException {
        boolean auto = connection.getAutoCommit();
        if (!auto) {
            connection.setAutoCommit(true);
        }
        try {
            schema.ensure(connection);
        } catch (SchemaException unusable) {
            throw new StateStoreException(String.valueOf(unusable.getMessage()), unusable);
        }
        if (!auto) {
            connection.setAutoCommit(false);
        }
    }
}
