package dev.jobguard.state;

import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.schema.SchemaException;
import dev.jobguard.internal.schema.StoreSchema;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How {@link JdbcStateStore} uses its DataSource: one short-lived connection per call, auto-commit or one
 * transaction, given back as it came; the tables checked (and created) on the first call only; every
 * {@link SQLException} turned into a {@link StateStoreException} that says what the store was doing.
 */
final class StoreConnections {

    private static final Logger log = LoggerFactory.getLogger(StoreConnections.class);

    private final DataSource dataSource;
    private final StoreSchema schema;
    private final StoreSql sql;
    private final Object preparing = new Object();
    private final int queryTimeoutSeconds;
    private volatile @Nullable Dialect dialect;

    StoreConnections(DataSource dataSource, StoreSchema schema, StoreSql sql, int queryTimeoutSeconds) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.sql = sql;
        this.queryTimeoutSeconds = queryTimeoutSeconds;
    }

    /** One piece of work on a borrowed connection, without a result. */
    @FunctionalInterface
    interface Action {
        void run(Connection connection, Dialect dialect) throws SQLException;
    }

    /**
     * Runs the action as {@link #call} runs work that has a result.
     *
     * @param doing what the store does, for the exception's message ("record the start of run x")
     * @param table the table(s) concerned, for the message
     */
    void run(String doing, String table, boolean transaction, Action action) {
        call(doing, table, transaction, (connection, dialect) -> {
            action.run(connection, dialect);
            return Boolean.TRUE;
        });
    }

    /** One piece of work on a borrowed connection. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection, Dialect dialect) throws SQLException;
    }

    /**
     * Runs the work on a connection of the pool, in auto-commit mode or in one transaction, and gives the connection
     * back as it found it.
     *
     * @param doing what the store does, for the exception's message ("read the state of job 'x'")
     * @param table the table(s) concerned, for the message
     */
    <T> T call(String doing, String table, boolean transaction, Work<T> work) {
        try (Connection pooled = dataSource.getConnection()) {
            Connection connection = withQueryTimeout(pooled);
            boolean autoCommit = connection.getAutoCommit();
            try {
                if (!autoCommit) {
                    connection.setAutoCommit(true);
                }
                Dialect known = prepared(connection);
                if (!transaction) {
                    return work.run(connection, known);
                }
                connection.setAutoCommit(false);
                try {
                    T result = work.run(connection, known);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException failed) {
                    rollback(connection, failed);
                    throw failed;
                }
            } finally {
                restore(connection, autoCommit);
            }
        } catch (SQLException failed) {
            throw new StateStoreException(
                    "jobguard: the state store could not " + doing + " in table " + table + ": " + describe(failed)
                            + (timedOut(failed)
                                    ? " (cancelled after the store's query timeout of " + queryTimeoutSeconds
                                            + " s: a lock held elsewhere, or a slow database)"
                                    : ""),
                    failed);
        }
    }

    /** Whether the statement was cancelled by its query timeout (PostgreSQL and H2 57014, MariaDB 70100). */
    private boolean timedOut(SQLException failed) {
        String state = failed.getSQLState();
        return queryTimeoutSeconds > 0
                && (failed instanceof SQLTimeoutException || "57014".equals(state) || "70100".equals(state));
    }

    /**
     * The failure's message and, when it wraps another, the innermost cause's: a pool that times out waiting for a
     * connection says why it got none (the database refused the user, the host is unreachable) only in its cause.
     */
    static String describe(SQLException failed) {
        String message = String.valueOf(failed.getMessage());
        Throwable root = failed.getCause();
        while (root != null && root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root == null || root.getMessage() == null || message.contains(root.getMessage())) {
            return message;
        }
        return message + " (cause: " + root.getMessage() + ")";
    }

    /**
     * The connection, whose statements are cancelled after the query timeout: a lock held elsewhere fails the call
     * instead of blocking the scheduler thread for ever.
     */
    private Connection withQueryTimeout(Connection connection) {
        if (queryTimeoutSeconds == 0) {
            return connection;
        }
        return (Connection) Proxy.newProxyInstance(
                StoreConnections.class.getClassLoader(), new Class<?>[] {Connection.class}, (proxy, method, args) -> {
                    Object result;
                    try {
                        result = method.invoke(connection, args);
                    } catch (InvocationTargetException failed) {
                        throw failed.getCause();
                    }
                    if (result instanceof Statement statement) {
                        statement.setQueryTimeout(queryTimeoutSeconds);
                    }
                    return result;
                });
    }

    /** The dialect, once the tables are known to exist; checks (and creates) them on the first call only. */
    private Dialect prepared(Connection connection) {
        Dialect known = dialect;
        if (known != null) {
            return known;
        }
        synchronized (preparing) {
            Dialect prepared = dialect;
            if (prepared == null) {
                try {
                    prepared = schema.prepare(connection);
                } catch (SQLException failed) {
                    throw new StateStoreException(
                            "jobguard: the state store could not check its tables " + sql.jobTable + ", " + sql.runTable
                                    + ", " + sql.runTableTable + " and " + sql.actionTable + ": " + failed.getMessage(),
                            failed);
                } catch (SchemaException unusable) {
                    throw new StateStoreException(String.valueOf(unusable.getMessage()), unusable);
                }
                dialect = prepared;
            }
            return prepared;
        }
    }

    private static void rollback(Connection connection, Exception failed) {
        try {
            connection.rollback();
        } catch (SQLException alsoFailed) {
            failed.addSuppressed(alsoFailed);
        }
    }

    private static void restore(Connection connection, boolean autoCommit) {
        try {
            if (connection.getAutoCommit() != autoCommit) {
                connection.setAutoCommit(autoCommit);
            }
        } catch (SQLException broken) {
            log.debug("jobguard: could not restore auto-commit on a connection of the state store", broken);
        }
    }
}
