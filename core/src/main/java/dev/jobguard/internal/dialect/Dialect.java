package dev.jobguard.internal.dialect;

import dev.jobguard.internal.sql.SqlStatementInfo;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Everything jobguard does differently per database, in one place: for the guard, which statements commit the open
 * transaction by themselves and how a connection's lock wait is bounded; for the journal, quoting and row locks; for
 * the state store, where its DDL is and how a duplicate key is reported. Not API.
 */
public enum Dialect {

    /** DDL is transactional. */
    POSTGRESQL("PostgreSQL", '"', " FOR UPDATE", "schema-postgresql.sql") {
        @Override
        public boolean commitsImplicitly(SqlStatementInfo statement) {
            return false;
        }

        @Override
        public @Nullable Long limitLockWait(Connection connection, Duration timeout) throws SQLException {
            // SET LOCAL: it ends with the transaction (and with a rollback to before it), so there is nothing to
            // restore
            long millis = timeout.toMillis();
            try (Statement statement = connection.createStatement()) {
                statement.execute(
                        "SELECT set_config('lock_timeout', CASE WHEN setting::bigint = 0 OR setting::bigint > "
                                + millis + " THEN '" + millis + "ms' ELSE setting || 'ms' END, true)"
                                + " FROM pg_settings WHERE name = 'lock_timeout'");
            }
            return null;
        }

        @Override
        public boolean isLockTimeout(SQLException failure) {
            return "55P03".equals(failure.getSQLState());
        }
    },
    /** MySQL and MariaDB: DDL and LOCK TABLES commit, except CREATE/DROP TEMPORARY TABLE. */
    MYSQL("MySQL/MariaDB", '`', " FOR UPDATE", "schema-mysql.sql") {
        @Override
        public boolean commitsImplicitly(SqlStatementInfo statement) {
            return statement.kind().isSchemaChange() && !statement.temporary();
        }

        @Override
        public @Nullable Long limitLockWait(Connection connection, Duration timeout) throws SQLException {
            long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
            return shorten(
                    connection,
                    "SELECT @@SESSION.innodb_lock_wait_timeout",
                    seconds,
                    "SET SESSION" + " innodb_lock_wait_timeout = ");
        }

        @Override
        public void restoreLockWait(Connection connection, long previous) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION innodb_lock_wait_timeout = " + previous);
            }
        }

        @Override
        public boolean isLockTimeout(SQLException failure) {
            return failure.getErrorCode() == 1205;
        }
    },
    /** H2 commits before every DDL statement, except a temporary table created {@code TRANSACTIONAL}. */
    H2("H2", '"', " FOR UPDATE", "schema-h2.sql") {
        @Override
        public boolean commitsImplicitly(SqlStatementInfo statement) {
            return statement.kind().isSchemaChange()
                    && !(statement.temporary()
                            && statement.sql().toUpperCase(Locale.ROOT).contains("TRANSACTIONAL"));
        }

        @Override
        public @Nullable Long limitLockWait(Connection connection, Duration timeout) throws SQLException {
            // SET LOCK_TIMEOUT neither commits nor is undone by a rollback
            return shorten(connection, "CALL LOCK_TIMEOUT()", Math.max(1, timeout.toMillis()), "SET LOCK_TIMEOUT ");
        }

        @Override
        public void restoreLockWait(Connection connection, long previous) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCK_TIMEOUT " + previous);
            }
        }

        @Override
        public boolean isLockTimeout(SQLException failure) {
            return failure.getErrorCode() == 50200; // LOCK_TIMEOUT_1
        }
    },
    /** Anything else: assume, conservatively, that DDL commits. */
    OTHER("", '"', "", null) {
        @Override
        public boolean commitsImplicitly(SqlStatementInfo statement) {
            return statement.kind().isSchemaChange();
        }
    };

    private final String displayName;
    private final char quote;
    private final String lock;
    private final @Nullable String schemaFile;

    Dialect(String displayName, char quote, String lock, @Nullable String schemaFile) {
        this.displayName = displayName;
        this.quote = quote;
        this.lock = lock;
        this.schemaFile = schemaFile;
    }

    /** The dialect of the database behind the metadata, by the driver's product name. */
    public static Dialect of(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        String lower = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (lower.contains("postgres")) {
            return POSTGRESQL;
        }
        if (lower.contains("mysql") || lower.contains("mariadb")) {
            return MYSQL;
        }
        return lower.equals("h2") ? H2 : OTHER;
    }

    public static Dialect of(Connection connection) throws SQLException {
        return of(connection.getMetaData());
    }

    // the guard

    public abstract boolean commitsImplicitly(SqlStatementInfo statement);

    /**
     * Bounds how long the connection's statements wait for a lock to at most {@code timeout}, leaving a shorter bound
     * the connection already has.
     *
     * @return the session's previous setting to give to {@link #restoreLockWait} once the run's transaction ended, or
     *     null when there is nothing to restore
     */
    public @Nullable Long limitLockWait(Connection connection, Duration timeout) throws SQLException {
        return null;
    }

    /** Puts back the lock wait {@link #limitLockWait} returned. */
    public void restoreLockWait(Connection connection, long previous) throws SQLException {}

    /** Whether the failure is the database's "lock wait timed out". */
    public boolean isLockTimeout(SQLException failure) {
        return false;
    }

    /** Reads a session's numeric setting and lowers it to {@code limit} when it is higher. */
    private static @Nullable Long shorten(Connection connection, String read, long limit, String set)
            throws SQLException {
        try (Statement statement = connection.createStatement()) {
            long current;
            try (ResultSet rows = statement.executeQuery(read)) {
                rows.next();
                current = rows.getLong(1);
            }
            if (current <= limit) {
                return null;
            }
            statement.execute(set + limit);
            return current;
        }
    }

    /**
     * Whether a failed statement aborts the whole open transaction (PostgreSQL: "current transaction is aborted")
     * instead of undoing only itself.
     */
    public boolean abortsTransactionOnError() {
        return this == POSTGRESQL;
    }

    /**
     * Whether the preflight's count may ride in the write itself, as a condition the database works out once before it
     * reads a row: PostgreSQL plans a subquery that does not depend on the row as an InitPlan behind a one-time
     * filter, so a refused UPDATE or DELETE reads none of its rows. H2 evaluates such a subquery once per row (a 500-row
     * UPDATE took 46 times as long); H2 and MariaDB count first, in a statement of its own.
     */
    public boolean foldsPreflightCount() {
        return this == POSTGRESQL;
    }

    // the journal

    /** The identifier quoted, so that its case is kept. */
    public String quote(String identifier) {
        String doubled = identifier.replace(String.valueOf(quote), String.valueOf(quote) + quote);
        return quote + doubled + quote;
    }

    /** The identifiers quoted, separated by commas. */
    public String columnList(List<String> columns) {
        StringBuilder list = new StringBuilder();
        for (String column : columns) {
            list.append(list.length() == 0 ? "" : ", ").append(quote(column));
        }
        return list.toString();
    }

    /** The clause that locks the rows a SELECT reads until the transaction ends, or "" where unsupported. */
    public String lockClause() {
        return lock;
    }

    // the state store

    /** The name the state store's messages use for this database (empty for {@link #OTHER}). */
    public String displayName() {
        return displayName;
    }

    /** Whether {@code JdbcStateStore} has a schema for this database. */
    public boolean hasStoreSchema() {
        return schemaFile != null;
    }

    /**
     * The classpath resource holding this database's state-store DDL in {@code folder}, e.g.
     * {@code dev/jobguard/state/schema-h2.sql}.
     */
    public String schemaResource(String folder) {
        if (schemaFile == null) {
            throw new IllegalStateException("no state-store schema for " + this);
        }
        return folder + schemaFile;
    }

    /** Whether the failure is an insert that met an existing primary key. */
    public boolean isDuplicateKey(SQLException failure) {
        String state = failure.getSQLState();
        if (this == MYSQL) {
            return failure.getErrorCode() == 1062 || ("23000".equals(state) && failure.getErrorCode() == 0);
        }
        return "23505".equals(state);
    }

    /** Whether the failure is a lost race the statement may simply be retried after (deadlock, serialization). */
    public static boolean isTransientConflict(SQLException failure) {
        String state = failure.getSQLState();
        // 40xxx: transaction rollback (deadlock, serialization); H2 90131: concurrent update of a row
        return (state != null && state.startsWith("40")) || failure.getErrorCode() == 90131;
    }
}
