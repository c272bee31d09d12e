package dev.jobguard.internal.journal;

import dev.jobguard.internal.dialect.Dialect;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * What the journal learns once per guarded DataSource: capture plans by SQL text, tables' columns and keys, the
 * database's dialect, and whether the journal's tables exist. Internal to jobguard; thread-safe.
 */
public final class Journaling {

    private final DataSource target;
    private final CapturePlanner planner = new CapturePlanner();
    private final Map<String, TableInfo> tables = new ConcurrentHashMap<>();
    private final Set<String> readyPrefixes = ConcurrentHashMap.newKeySet();
    private final PostgresCopy copy = new PostgresCopy();
    private volatile @Nullable Dialect dialect;
    private volatile @Nullable Boolean insertReturning;

    /** @param target the DataSource the guarded one wraps: the journal creates its tables through it */
    public Journaling(DataSource target) {
        this.target = target;
    }

    CapturePlan plan(String sql, @Nullable String table) {
        return planner.plan(sql, table);
    }

    /** Why a write is not counted before it runs, by SQL text ({@link #whyNotCountedFirst}). */
    private final Map<String, Optional<String>> notCounted = lru(1024);
    /** The preflight's query, by SQL text, after the primary-key check ({@link #rowCountQuery}). */
    private final Map<String, Optional<RowCountQuery>> rowCounts = lru(1024);

    /** A thread-safe map that keeps the {@code max} entries used last. */
    static <V> Map<String, V> lru(int max) {
        return Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
                return size() > max;
            }
        });
    }

    /**
     * The preflight count of a write about to run, or null where it cannot change the answer or cannot be had: a
     * statement that cannot be read first (INSERT ... VALUES, an UPDATE or DELETE with FROM/JOIN/WITH, a MERGE whose
     * WHEN clauses have conditions), or a WHERE that pins the table's primary key by equality (at most one row). A WHERE
     * that bounds a single-column key ({@link RowCountQuery#mostRows}) keeps the bound for each execution to check.
     */
    public @Nullable RowCountQuery rowCountQuery(Connection raw, String sql, @Nullable String table)
            throws SQLException {
        Optional<RowCountQuery> known = rowCounts.get(sql);
        if (known == null) {
            RowCountQuery query = planner.rowCountQuery(sql, table);
            if (query != null && query.mayPin()) {
                // a count that may pin the key is an UPDATE's or DELETE's, whose plan names its table
                List<Column> key = table(raw, Objects.requireNonNull(query.table(), "table"))
                        .key();
                query = query.pins(key.stream().map(Column::name).toList()) ? null : query.withKey(key);
            }
            // the answer, key pinned or not, is kept: a write by key asks on every execution
            known = Optional.ofNullable(query);
            rowCounts.put(sql, known);
        }
        return known.orElse(null);
    }

    /**
     * Why a write the preflight has no query for is not counted before it runs, or null when it need not be (see
     * {@link CapturePlanner#whyNotCountedFirst}); asked once per SQL text.
     */
    public @Nullable String whyNotCountedFirst(String sql, @Nullable String table) {
        Optional<String> known = notCounted.get(sql);
        if (known == null) {
            known = Optional.ofNullable(planner.whyNotCountedFirst(sql, table));
            notCounted.put(sql, known);
        }
        return known.orElse(null);
    }

    TableInfo table(Connection connection, String reference) throws SQLException {
        TableInfo known = tables.get(reference);
        if (known == null) {
            known = TableInfo.read(connection, reference);
            tables.put(reference, known);
        }
        return known;
    }

    PostgresCopy copy() {
        return copy;
    }

    Dialect dialect(Connection connection) throws SQLException {
        Dialect known = dialect;
        if (known == null) {
            known = Dialect.of(connection);
            dialect = known;
        }
        return known;
    }

    /** Whether the database returns an INSERT's new rows ({@code INSERT ... RETURNING}): MariaDB from 10.5. */
    boolean insertReturning(Connection connection) throws SQLException {
        Boolean known = insertReturning;
        if (known == null) {
            DatabaseMetaData meta = connection.getMetaData();
            known = dialect(connection) == Dialect.MYSQL
                    && (meta.getDatabaseProductName() + " " + meta.getDatabaseProductVersion())
                            .toLowerCase(Locale.ROOT)
                            .contains("mariadb")
                    && (meta.getDatabaseMajorVersion() > 10
                            || (meta.getDatabaseMajorVersion() == 10 && meta.getDatabaseMinorVersion() >= 5));
            insertReturning = known;
        }
        return known;
    }

    /** Makes sure the journal's tables exist, on a connection of its own (DDL commits on MySQL). */
    void ensureTables(JournalTables journal) throws SQLException {
        if (readyPrefixes.contains(journal.tablePrefix())) {
            return;
        }
        try (Connection connection = target.getConnection()) {
            journal.ensureTables(connection);
        }
        readyPrefixes.add(journal.tablePrefix());
    }

    /**
     * Whether an INSERT of this SQL needs the driver's generated keys for the journal to know its rows (the statement
     * does not give every key column a value). Looked up when a journaling run prepares the statement.
     */
    public boolean needsGeneratedKeys(Connection connection, String sql, @Nullable String table) {
        try {
            CapturePlan plan = plan(sql, table);
            if (plan.operation() != CapturePlan.Operation.INSERT) {
                return false;
            }
            TableInfo info = table(connection, plan.writtenTable());
            return info.hasKey() && InsertKeys.positions(plan, info) == null;
        } catch (SQLException | RuntimeException unknown) {
            return false;
        }
    }
}
