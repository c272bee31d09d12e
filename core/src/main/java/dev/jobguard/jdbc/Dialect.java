package dev.jobguard.jdbc;

import dev.jobguard.sql.SqlStatementInfo;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Locale;

/**
 * What the guard needs to know about a database: which statements commit the open transaction by themselves, and how
 * a connection's lock wait is bounded.
 */
enum Dialect {
    /** DDL is transactional. */
    POSTGRESQL {
        @Override
        boolean commitsImplicitly(SqlStatementInfo statement) {
            return false;
        }

        @Override
        Long limitLockWait(Connection connection, Duration timeout) throws SQLException {
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
        boolean isLockTimeout(SQLException failure) {
            return "55P03".equals(failure.getSQLState());
        }
    },
    /** MySQL and MariaDB: DDL and LOCK TABLES commit, except CREATE/DROP TEMPORARY TABLE. */
    MYSQL {
        @Override
        boolean commitsImplicitly(SqlStatementInfo statement) {
            return statement.kind().isSchemaChange() && !statement.temporary();
        }

        @Override
        Long limitLockWait(Connection connection, Duration timeout) throws SQLException {
            long seconds = Math.max(1, (timeout.toMillis() + 999) / 1000);
            return shorten(
                    connection,
                    "SELECT @@SESSION.innodb_lock_wait_timeout",
                    seconds,
                    "SET SESSION" + " innodb_lock_wait_timeout = ");
        }

        @Override
        void restoreLockWait(Connection connection, long previous) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET SESSION innodb_lock_wait_timeout = " + previous);
            }
        }

        @Override
        boolean isLockTimeout(SQLException failure) {
            return failure.getErrorCode() == 1205;
        }
    },
    /** H2 commits before every DDL statement, except a temporary table created {@code TRANSACTIONAL}. */
    H2 {
        @Override
        boolean commitsImplicitly(SqlStatementInfo statement) {
            return statement.kind().isSchemaChange()
                    && !(statement.temporary()
                            && statement.sql().toUpperCase(Locale.ROOT).contains("TRANSACTIONAL"));
        }

        @Override
        Long limitLockWait(Connection connection, Duration timeout) throws SQLException {
            // SET LOCK_TIMEOUT neither commits nor is undone by a rollback
            return shorten(connection, "CALL LOCK_TIMEOUT()", Math.max(1, timeout.toMillis()), "SET LOCK_TIMEOUT ");
        }

        @Override
        void restoreLockWait(Connection connection, long previous) throws SQLException {
            try (Statement statement = connection.createStatement()) {
                statement.execute("SET LOCK_TIMEOUT " + previous);
            }
        }

        @Override
        boolean isLockTimeout(SQLException failure) {
            return failure.getErrorCode() == 50200; // LOCK_TIMEOUT_1
        }
    },
    /** Anything else: assume, conservatively, that DDL commits. */
    OTHER {
        @Override
        boolean commitsImplicitly(SqlStatementInfo statement) {
            return statement.kind().isSchemaChange();
        }
    };

    abstract boolean commitsImplicitly(SqlStatementInfo statement);

    /**
     * Bounds how long the connection's statements wait for a lock to at most {@code timeout}, leaving a shorter bound
     * the connection already has.
     *
     * @return the session's previous setting to give to {@link #restoreLockWait} once the run's transaction ended, or
     *     null when there is nothing to restore
     */
    Long limitLockWait(Connection connection, Duration timeout) throws SQLException {
        return null;
    }

    /** Puts back the lock wait {@link #limitLockWait} returned. */
    void restoreLockWait(Connection connection, long previous) throws SQLException {}

    /** Whether the failure is the database's "lock wait timed out". */
    boolean isLockTimeout(SQLException failure) {
        return false;
    }

    /** Reads a session's numeric setting and lowers it to {@code limit} when it is higher. */
    private static Long shorten(Connection connection, String read, long limit, String set) throws SQLException {
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

    static Dialect of(Connection connection) throws SQLException {
        return switch (DatabaseProduct.of(connection.getMetaData())) {
            case POSTGRESQL -> POSTGRESQL;
            case MYSQL -> MYSQL;
            case H2 -> H2;
            case OTHER -> OTHER;
        };
    }
}
