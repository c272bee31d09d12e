package dev.jobguard.jdbc;

import dev.jobguard.internal.run.RunContext;
import java.sql.Connection;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The read-only mode and transaction isolation a job sets on a {@link GuardedConnection}. Inside a sandbox the
 * transaction spans the job's transactions and keeps the mode and isolation it began with (drivers refuse to change
 * them mid-transaction): the job's values are kept in the {@link Sandbox} for it to read, and applied when the run
 * ends. In a dry or atomic run before the connection's first write, the driver's values are remembered once
 * ({@link Sandbox.PooledSettings}) so that the pool gets them back.
 */
final class SessionSettings {

    private final Connection delegate;
    private final Sandbox.PooledSettings pooled;

    SessionSettings(Connection delegate, Sandbox.PooledSettings pooled) {
        this.delegate = delegate;
        this.pooled = pooled;
    }

    int isolation(@Nullable Sandbox sandbox) throws SQLException {
        Integer set = sandbox == null ? null : sandbox.jobIsolation;
        return set != null ? set : delegate.getTransactionIsolation();
    }

    boolean readOnly(@Nullable Sandbox sandbox) throws SQLException {
        Boolean set = sandbox == null ? null : sandbox.jobReadOnly;
        return set != null ? set : delegate.isReadOnly();
    }

    void setReadOnly(@Nullable Sandbox sandbox, boolean readOnly) throws SQLException {
        if (sandbox != null) {
            sandbox.jobReadOnly = readOnly;
            return;
        }
        if (inSandboxedRun() && pooled.readOnly == null) {
            pooled.readOnly = delegate.isReadOnly();
        }
        delegate.setReadOnly(readOnly);
    }

    void setIsolation(@Nullable Sandbox sandbox, int level) throws SQLException {
        if (sandbox != null) {
            sandbox.jobIsolation = level;
            return;
        }
        if (inSandboxedRun() && pooled.isolation == null) {
            pooled.isolation = delegate.getTransactionIsolation();
        }
        delegate.setTransactionIsolation(level);
    }

    /** Whether a dry or atomic run is active on this thread. */
    static boolean inSandboxedRun() {
        RunContext run = RunContext.current();
        return run != null && run.sandboxed();
    }
}
