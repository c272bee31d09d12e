package dev.jobguard.jdbc;

import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.jdbc.GuardedSource;
import dev.jobguard.internal.journal.Journaling;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.SqlClassifier;
import java.io.PrintWriter;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The DataSource guarded jobs use. It wraps the application's DataSource; inside a guarded run every write through
 * its connections is classified, counted and held to the run's limits. Outside a run everything passes through.
 *
 * <pre>{@code
 * DataSource dataSource = GuardedDataSource.wrap(pool);
 * }</pre>
 *
 * <p>Connections are always wrapped, so that a connection obtained before a run (for example by a transaction
 * opened around the job) is guarded from the first statement it executes inside the run. {@link #unwrap} and
 * {@link #isWrapperFor} reach the wrapped DataSource, so code that asks for the pool's own type keeps working;
 * writes made through an unwrapped object bypass the guard.
 */
public final class GuardedDataSource implements DataSource, GuardedSource {

    private static final SqlClassifier DEFAULT_CLASSIFIER = SqlClassifier.withDefaults();

    private final DataSource delegate;
    private final SqlClassifier classifier;
    private volatile @Nullable Dialect dialect;
    private volatile @Nullable Journaling journaling;
    private final AtomicBoolean lockWaitWarned = new AtomicBoolean();

    private GuardedDataSource(DataSource delegate, SqlClassifier classifier) {
        this.delegate = Objects.requireNonNull(delegate, "dataSource");
        this.classifier = Objects.requireNonNull(classifier, "classifier");
    }

    /** Wraps a DataSource; a DataSource that is already guarded is returned as it is. */
    public static GuardedDataSource wrap(DataSource dataSource) {
        return wrap(dataSource, DEFAULT_CLASSIFIER);
    }

    /** Wraps a DataSource with a classifier of its own (cache size, parse time-out). */
    public static GuardedDataSource wrap(DataSource dataSource, SqlClassifier classifier) {
        if (dataSource instanceof GuardedDataSource guarded) {
            return guarded;
        }
        return new GuardedDataSource(dataSource, classifier);
    }

    /** The DataSource this one wraps. */
    @Override
    public DataSource getTargetDataSource() {
        return delegate;
    }

    SqlClassifier classifier() {
        return classifier;
    }

    /** The change journal's caches for this DataSource, created on the first journaling write. */
    Journaling journaling() {
        Journaling known = journaling;
        if (known == null) {
            synchronized (this) {
                known = journaling;
                if (known == null) {
                    known = new Journaling(delegate);
                    journaling = known;
                }
            }
        }
        return known;
    }

    /** True the first time a sandbox connection could not bound its lock waits: warned once per DataSource. */
    boolean firstLockWaitWarning() {
        return lockWaitWarned.compareAndSet(false, true);
    }

    Dialect dialect(Connection connection) throws SQLException {
        Dialect known = dialect;
        if (known == null) {
            known = Dialect.of(connection);
            dialect = known;
        }
        return known;
    }

    /**
     * A connection of the wrapped DataSource. In a dry or atomic run, a connection the job closed earlier in the run
     * on this thread is handed out again: its transaction, which only the guard ends, goes on, so the run needs one
     * pooled connection per thread however often the job takes and closes one (a connection still open is never
     * handed out twice).
     */
    @Override
    public Connection getConnection() throws SQLException {
        RunContext run = RunContext.current();
        if (run != null && run.sandboxed() && run.takeIdle(this) instanceof GuardedConnection idle) {
            idle.reopen();
            return idle;
        }
        return new GuardedConnection(this, delegate.getConnection());
    }

    @Override
    public Connection getConnection(String username, String password) throws SQLException {
        return new GuardedConnection(this, delegate.getConnection(username, password), false);
    }

    @Override
    public PrintWriter getLogWriter() throws SQLException {
        return delegate.getLogWriter();
    }

    @Override
    public void setLogWriter(PrintWriter out) throws SQLException {
        delegate.setLogWriter(out);
    }

    @Override
    public void setLoginTimeout(int seconds) throws SQLException {
        delegate.setLoginTimeout(seconds);
    }

    @Override
    public int getLoginTimeout() throws SQLException {
        return delegate.getLoginTimeout();
    }

    @Override
    public Logger getParentLogger() throws SQLFeatureNotSupportedException {
        return delegate.getParentLogger();
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        return iface.isInstance(this) ? iface.cast(this) : delegate.unwrap(iface);
    }

    @Override
    public String toString() {
        return "GuardedDataSource[" + delegate + "]";
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }
}
