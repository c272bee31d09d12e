package dev.jobguard.jdbc;

import dev.jobguard.StatementRefusedException;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.run.RunParticipant;
import dev.jobguard.internal.sql.ClassifiedSql;
import dev.jobguard.internal.sql.SqlClassifier;
import dev.jobguard.internal.sql.SqlParser;
import dev.jobguard.internal.sql.StatementKind;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A connection of a {@link GuardedDataSource}. Inside a guarded run it decides, per write, in which transaction
 * the write runs, and settles that transaction when a limit is crossed or the run ends:
 *
 * <ul>
 *   <li>sandbox (dry run, atomic run): the connection is switched to manual commit, the job's {@code commit()}
 *       only sets a savepoint, {@code close()} hands it back to the run for the thread's next {@code getConnection()},
 *       lock waits are bounded, and the guard alone commits or rolls back (and really closes) at the end;
 *   <li>auto-commit, enforcing limits: each write runs in its own transaction, committed only when it stays within
 *       the limits;
 *   <li>manual commit: the write joins the job's transaction; after a trip the transaction is rolled back and
 *       every later {@code commit()} of the run rolls back and throws.
 * </ul>
 *
 * <p>The steps of one write are {@link WriteExecutor}'s; a dry or atomic run's hold on the connection is its {@link
 * Sandbox}; the run's rows and journal entries in the open transaction are its {@link OpenTransaction}. This class
 * overrides the JDBC methods the guard changes and nothing else ({@link DelegatingConnection} has the rest).
 */
final class GuardedConnection extends DelegatingConnection implements RunParticipant {

    private final GuardedDataSource owner;
    private final Preflight preflight = new Preflight(this);
    private final WriteExecutor writes = new WriteExecutor(this);

    /** The dry or atomic run that holds this connection's transaction ({@link Sandbox}), or null. */
    private @Nullable Sandbox sandbox;
    /** The job's settings as the connection came from the pool, read at its first change in a sandboxed run. */
    private final Sandbox.PooledSettings pooled = new Sandbox.PooledSettings();
    /** The read-only mode and isolation the job sets, kept apart from the driver's in a sandbox. */
    private final SessionSettings session;
    /** A run's write joined this connection's own transaction and no commit or rollback has ended it since. */
    private boolean uncommittedRunWrites;
    /** The run whose trip rolled back this connection's transaction; its commits are refused until a rollback. */
    private volatile @Nullable RunContext poisonedBy;
    /** What the guard holds of this connection's open transaction: the run's rows, the journal's entries. */
    final OpenTransaction transaction = new OpenTransaction(this);
    /**
     * The driver's auto-commit state as last read or set through this connection, or null to read it again. Reading
     * it is a driver call on every write otherwise (about 3 % of a single-row update on H2).
     */
    private @Nullable Boolean autoCommit;
    /** Unwrapped to the driver's connection: its state may change behind this one, so it is always read. */
    private boolean unwrapped;

    /** Whether the run may hand this connection out again after the job closed it (not when opened as another user). */
    private final boolean reusableInRun;

    GuardedConnection(GuardedDataSource owner, Connection delegate) {
        this(owner, delegate, true);
    }

    GuardedConnection(GuardedDataSource owner, Connection delegate, boolean reusableInRun) {
        super(delegate);
        this.owner = owner;
        this.reusableInRun = reusableInRun;
        this.session = new SessionSettings(delegate, pooled);
    }

    SqlClassifier classifier() {
        return owner.classifier();
    }

    /** Executes the statements of guarded runs on this connection. */
    WriteExecutor writes() {
        return writes;
    }

    /** This connection's preflight: counts a write's rows before it runs ({@link Preflight}). */
    Preflight preflight() {
        return preflight;
    }

    GuardedDataSource owner() {
        return owner;
    }

    /** The sandbox this connection is in, or null. */
    @Nullable
    Sandbox sandbox() {
        return sandbox;
    }

    boolean sandboxedIn(RunContext run) {
        Sandbox current = sandbox;
        return current != null && current.run == run;
    }

    boolean delegateAutoCommit() throws SQLException {
        Boolean known = autoCommit;
        if (known == null || unwrapped) {
            known = delegate.getAutoCommit();
            autoCommit = known;
        }
        return known;
    }

    void setDelegateAutoCommit(boolean value) throws SQLException {
        autoCommit = null; // unknown should the call fail
        delegate.setAutoCommit(value);
        autoCommit = value;
    }

    /** The driver's auto-commit state is read again before it is next needed. */
    void forgetAutoCommit() {
        autoCommit = null;
    }

    /** A run's write joined this connection's own transaction. */
    void runWroteInJobTransaction() {
        uncommittedRunWrites = true;
    }

    /** Whether a journaling run prepares this INSERT with generated keys, so that the journal learns its rows' keys. */
    boolean journalNeedsGeneratedKeys(String sql) {
        RunContext run = RunContext.current();
        if (run == null || run.journal() == null) {
            return false;
        }
        ClassifiedSql classified = classifier().classify(sql);
        if (classified.isMultiStatement()
                || classified.first().kind() != StatementKind.INSERT
                || run.ignores(classified.first().table())) {
            return false;
        }
        return owner.journaling()
                .needsGeneratedKeys(delegate, sql, classified.first().table());
    }

    /** Rolls back the whole transaction after a trip. */
    void rollbackAfterTrip() throws SQLException {
        Sandbox current = sandbox;
        if (current != null) {
            current.rolledBack();
        }
        transaction.discardJournal();
        transaction.rows.rolledBack();
        delegate.rollback();
    }

    /** Brings this connection into the sandbox of a dry or atomic run, at the run's first write on it. */
    Sandbox enlistSandbox(RunContext run) throws SQLException {
        Sandbox current = sandbox;
        if (current != null && current.run == run) {
            return current;
        }
        if (current != null && !current.run.isFinished()) {
            throw new StatementRefusedException("jobguard: job '" + run.jobName()
                    + "': this connection belongs to the sandbox of run " + current.run.runId() + " of job '"
                    + current.run.jobName() + "'; a connection cannot be shared by two runs.");
        }
        boolean jobAutoCommit = delegateAutoCommit();
        if (jobAutoCommit) {
            setDelegateAutoCommit(false);
        }
        current = new Sandbox(this, run, jobAutoCommit);
        sandbox = current;
        run.enlist(this);
        return current;
    }

    @Override
    public void tripped(RunContext run) {
        poisonedBy = run;
    }

    @Override
    public void finish(RunContext run, boolean commit) throws SQLException {
        Sandbox ending = sandbox;
        if (ending != null && ending.run == run) {
            sandbox = null;
            ending.finish(commit, pooled);
        } else if (run.isTripped() && !delegate.isClosed()) {
            transaction.discardJournal();
            transaction.rows.rolledBack();
            delegate.rollback();
        }
    }

    private SQLException refusedCommit(RunContext run) throws SQLException {
        transaction.discardJournal();
        transaction.rows.rolledBack();
        delegate.rollback();
        return run.exception(
                Objects.requireNonNull(run.trip(), "a run that refuses a connection's commits has tripped"),
                "Commit refused: run " + run.runId() + " tripped, so its transaction was rolled back instead.");
    }

    /**
     * Commits, unless this connection holds writes of a run that tripped: then it rolls back and throws. A connection
     * that wrote nothing the guard counts (only the scheduler's or the guard's own tables) commits as usual.
     */
    @Override
    public void commit() throws SQLException {
        RunContext refused = poisonedBy;
        if (refused != null) {
            throw refusedCommit(refused);
        }
        Sandbox current = sandbox;
        if (current != null) {
            current.commitToSavepoint();
            return;
        }
        transaction.flushBeforeCommit();
        delegate.commit();
        transaction.rows.committed();
        uncommittedRunWrites = false;
    }

    @Override
    public void rollback() throws SQLException {
        poisonedBy = null;
        Sandbox current = sandbox;
        if (current != null) {
            current.rollbackToCommitPoint();
            transaction.discardJournal();
            return;
        }
        delegate.rollback();
        transaction.discardJournal(); // once the database has rolled back: a failed rollback leaves the writes
        transaction.rows.rolledBack();
        uncommittedRunWrites = false;
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        delegate.rollback(savepoint);
        // entries wait only since the newest savepoint (setSavepoint writes them): all of them are rolled back. Not
        // before the database did: a savepoint it refuses (one set before a commit) leaves the writes, which H2 and
        // MariaDB then commit with the transaction, and their entries with them
        transaction.discardJournal();
        transaction.rows.rolledBackTo(savepoint);
        Sandbox current = sandbox;
        if (current != null) {
            current.lockWaitLimited = false;
        }
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        transaction.flushJournal();
        Savepoint savepoint = delegate.setSavepoint();
        transaction.rows.savepoint(savepoint);
        return savepoint;
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        transaction.flushJournal();
        Savepoint savepoint = delegate.setSavepoint(name);
        transaction.rows.savepoint(savepoint);
        return savepoint;
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        delegate.releaseSavepoint(savepoint);
        transaction.rows.released(savepoint);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        Sandbox current = sandbox;
        if (current != null) {
            if (pooled.autoCommit == null) {
                pooled.autoCommit = current.jobAutoCommit;
            }
            if (autoCommit ? !current.jobAutoCommit : current.jobAutoCommit && current.wroteSinceCommitPoint) {
                // on: commits the job's transaction; off: the writes made in auto-commit were each committed, so the
                // job's transaction, and a rollback of it, starts after them
                commit();
            }
            current.jobAutoCommit = autoCommit;
            return;
        }
        if (pooled.autoCommit == null && SessionSettings.inSandboxedRun()) {
            pooled.autoCommit = delegateAutoCommit();
        }
        RunContext refused = poisonedBy;
        if (autoCommit && refused != null && !delegateAutoCommit()) {
            throw refusedCommit(refused);
        }
        boolean commits = autoCommit && !delegateAutoCommit();
        if (autoCommit) {
            transaction.flushJournal(); // switching auto-commit on commits the open transaction
        }
        setDelegateAutoCommit(autoCommit);
        if (commits) {
            transaction.rows.committed();
        }
        uncommittedRunWrites &= !autoCommit;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        Sandbox current = sandbox;
        return current != null ? current.jobAutoCommit : delegateAutoCommit();
    }

    @Override
    public void close() throws SQLException {
        Sandbox current = sandbox;
        if (current != null && !current.run.isFinished()) {
            if (!current.closedByJob) {
                current.closedByJob = true;
                if (reusableInRun) {
                    current.returnToRun(pooled);
                }
            }
            return;
        }
        poisonedBy = null;
        transaction.discardJournal();
        try {
            if (uncommittedRunWrites && !delegate.isClosed() && !delegate.getAutoCommit()) {
                // the JDBC spec leaves an open transaction on close to the driver, and a pool may commit it (HikariCP
                // resets auto-commit without a rollback after executeLargeUpdate): a run's writes nobody committed
                // are rolled back here
                delegate.rollback();
                transaction.rows.rolledBack();
            }
        } finally {
            uncommittedRunWrites = false;
            delegate.close();
        }
    }

    /** Hands out again a connection the job closed earlier in the run: see {@link Sandbox#returnToRun}. */
    void reopen() {
        Sandbox current = sandbox;
        if (current != null) {
            current.closedByJob = false;
        }
    }

    @Override
    public boolean isClosed() throws SQLException {
        Sandbox current = sandbox;
        return (current != null && current.closedByJob) || delegate.isClosed();
    }

    @Override
    public Statement createStatement() throws SQLException {
        return new GuardedStatement(this, delegate.createStatement());
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency) throws SQLException {
        return new GuardedStatement(this, delegate.createStatement(resultSetType, resultSetConcurrency));
    }

    @Override
    public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
            throws SQLException {
        return new GuardedStatement(
                this, delegate.createStatement(resultSetType, resultSetConcurrency, resultSetHoldability));
    }

    @Override
    public PreparedStatement prepareStatement(String sql) throws SQLException {
        if (journalNeedsGeneratedKeys(sql)) {
            return new GuardedPreparedStatement(
                    this,
                    delegate.prepareStatement(SqlParser.withoutTerminator(sql), Statement.RETURN_GENERATED_KEYS),
                    sql,
                    true,
                    false);
        }
        return new GuardedPreparedStatement(this, delegate.prepareStatement(sql), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency)
            throws SQLException {
        return new GuardedPreparedStatement(
                this, delegate.prepareStatement(sql, resultSetType, resultSetConcurrency), sql);
    }

    @Override
    public PreparedStatement prepareStatement(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        return new GuardedPreparedStatement(
                this, delegate.prepareStatement(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int autoGeneratedKeys) throws SQLException {
        return new GuardedPreparedStatement(
                this,
                delegate.prepareStatement(sql, autoGeneratedKeys),
                sql,
                autoGeneratedKeys == Statement.RETURN_GENERATED_KEYS && journalNeedsGeneratedKeys(sql),
                autoGeneratedKeys == Statement.RETURN_GENERATED_KEYS);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, int[] columnIndexes) throws SQLException {
        return new GuardedPreparedStatement(this, delegate.prepareStatement(sql, columnIndexes), sql, false, true);
    }

    @Override
    public PreparedStatement prepareStatement(String sql, String[] columnNames) throws SQLException {
        return new GuardedPreparedStatement(
                this, delegate.prepareStatement(sql, columnNames), sql, journalNeedsGeneratedKeys(sql), true);
    }

    @Override
    public CallableStatement prepareCall(String sql) throws SQLException {
        return new DelegatingCallableStatement(this, delegate.prepareCall(sql), sql);
    }

    @Override
    public CallableStatement prepareCall(String sql, int resultSetType, int resultSetConcurrency) throws SQLException {
        return new DelegatingCallableStatement(
                this, delegate.prepareCall(sql, resultSetType, resultSetConcurrency), sql);
    }

    @Override
    public CallableStatement prepareCall(
            String sql, int resultSetType, int resultSetConcurrency, int resultSetHoldability) throws SQLException {
        return new DelegatingCallableStatement(
                this, delegate.prepareCall(sql, resultSetType, resultSetConcurrency, resultSetHoldability), sql);
    }

    @Override
    public <T> T unwrap(Class<T> iface) throws SQLException {
        if (iface.isInstance(this)) {
            return iface.cast(this);
        }
        unwrapped = true;
        return delegate.unwrap(iface);
    }

    @Override
    public boolean isWrapperFor(Class<?> iface) throws SQLException {
        return iface.isInstance(this) || delegate.isWrapperFor(iface);
    }

    @Override
    public String toString() {
        return "GuardedConnection[" + delegate + "]";
    }

    @Override
    public @Nullable DatabaseMetaData getMetaData() throws SQLException {
        DatabaseMetaData metaData = delegate.getMetaData();
        if (metaData == null) {
            return null;
        }
        return GuardedProxies.metaData(metaData, this); // its getConnection() returns this connection
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        return session.isolation(sandbox);
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        return session.readOnly(sandbox);
    }

    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        session.setReadOnly(sandbox, readOnly);
    }

    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        session.setIsolation(sandbox, level);
    }
}
