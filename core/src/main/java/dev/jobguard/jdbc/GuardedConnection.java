package dev.jobguard.jdbc;

import dev.jobguard.StatementRefusedException;
import dev.jobguard.Trip;
import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.run.RunParticipant;
import dev.jobguard.internal.sql.ClassifiedSql;
import dev.jobguard.internal.sql.SqlClassifier;
import dev.jobguard.internal.sql.SqlParser;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.internal.sql.SqlText;
import dev.jobguard.internal.sql.StatementKind;
import dev.jobguard.journal.ConnectionJournal;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.CallableStatement;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
 */
final class GuardedConnection extends DelegatingConnection implements RunParticipant {

    private static final Logger LOG = LoggerFactory.getLogger(GuardedConnection.class);

    private final GuardedDataSource owner;
    private final Preflight preflight = new Preflight(this);

    /** The sandboxed run that owns this connection's transaction, or null. */
    private RunContext sandboxRun;
    /** The auto-commit mode the job believes the connection is in, while sandboxed. */
    private boolean jobAutoCommit;
    /** The point the job last "committed" to, while sandboxed. */
    private Savepoint committedPoint;
    /**
     * The job closed the connection while sandboxed: the run keeps it for its next {@code getConnection()} on the
     * thread, and the guard closes it when the run ends.
     */
    private boolean closedByJob;
    /** A write ran in the sandbox since the job's last commit point (its commit, rollback, or the connection's reuse). */
    private boolean wroteSinceCommitPoint;
    /** The statement about to run is a ROLLBACK (TO SAVEPOINT) sent as SQL: its journal entries go once it ran. */
    private boolean discardAfterUncounted;
    /** This connection's number in its run's sandbox, for messages. */
    private int sandboxNumber;
    /** The thread that brought the connection into the sandbox, for messages. */
    private String sandboxThread;
    /** The last counted write of the sandbox, for messages. */
    private SqlStatementInfo lastSandboxWrite;
    /** The run's lock timeout is in force on the driver's connection (a rollback on PostgreSQL undoes it). */
    private boolean lockWaitLimited;
    /** The driver's lock timeout before the sandbox shortened it, put back when the run ends; null: nothing to. */
    private Long previousLockWait;
    /** The job's settings as the connection came from the pool, read at the job's first change in a sandboxed run. */
    private Boolean pooledAutoCommit;

    private Boolean pooledReadOnly;
    private Integer pooledIsolation;
    /** What the job set while sandboxed: the open transaction keeps what it began with. Null: as the driver says. */
    private Boolean jobReadOnly;

    private Integer jobIsolation;
    /** The last run whose writes joined this connection's own (manual-commit) transaction. */
    private RunContext jobTransactionRun;
    /** A run's write joined this connection's own transaction and no commit or rollback has ended it since. */
    private boolean uncommittedRunWrites;
    /** The run whose trip rolled back this connection's transaction; its commits are refused until a rollback. */
    private volatile RunContext poisonedBy;
    /** The run's rows in this connection's open transaction, until it commits or rolls back. */
    private final TransactionRows transactionRows = new TransactionRows();
    /** The change journal's entries of this connection's open transaction; created on a journaling run's first write. */
    private ConnectionJournal journal;
    /**
     * The driver's auto-commit state as last read or set through this connection, or null to read it again. Reading
     * it is a driver call on every write otherwise (about 3 % of a single-row update on H2).
     */
    private Boolean autoCommit;
    /** The run for which {@link #autoCommit} was read. */
    private RunContext autoCommitRun;
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
    }

    SqlClassifier classifier() {
        return owner.classifier();
    }

    /** Which transaction a write of a run executes in. */
    private enum WriteTransaction {
        /** The guard's sandbox transaction (dry run, atomic). */
        SANDBOX,
        /** A transaction of its own around the one write, on an auto-commit connection. */
        STATEMENT,
        /** The job's own transaction, on a manual-commit connection. */
        JOB,
        /** Auto-commit as the job set it: nothing can trip (observe mode, or no limits). */
        AUTO
    }

    /**
     * Executes a write of a guarded run: checks it first, runs it in the transaction its connection calls for (reading
     * its rows for the journal first in a journaling run), counts it, and rolls it back (throwing) when it crosses a
     * limit.
     */
    <R> R write(WriteRequest<R> request) throws SQLException {
        RunContext run = request.run;
        List<SqlStatementInfo> statements = request.statements;
        WriteRequest.JournalRuns<R> journalRuns = request.journalRuns;
        for (int i = 0; i < statements.size(); i++) { // no iterator: this runs on every write
            SqlStatementInfo statement = statements.get(i);
            run.checkBeforeWrite(statement);
            refuseImplicitCommit(run, statement);
        }
        WriteTransaction transaction = beginWrite(run, statements);
        long countedBefore = run.rowsCountedOnThisThread();
        R result;
        Trip trip;
        ConnectionJournal.Capture capture = null;
        try {
            capture = request.steps == null || run.journal() == null
                    ? null
                    : journal()
                            .before(
                                    delegate,
                                    run,
                                    request.steps,
                                    request.keys != null,
                                    request.job,
                                    journalRuns != null);
            if (capture != null && capture.executed()) {
                if (journalRuns.batch()) {
                    request.job.clearBatch(); // the journal ran the batch's entries: they must not run again
                }
                result = journalRuns.result().apply(capture.updateCounts());
            } else {
                result = request.execute.call();
            }
            trip = request.counter.count(result);
            if (trip == null && capture != null) {
                // the journal's own write returned its keys: the job's statement, and its generated keys, did not run
                capture.after(request.keys == null || capture.executed() ? null : request.keys.read());
            }
        } catch (BatchUpdateException failure) {
            trip = request.counter.countPartial(failure);
            if (capture != null && trip == null && transaction != WriteTransaction.STATEMENT) {
                // the entries that ran stay in the job's transaction: journaled where the driver tells which they
                // were, else a gap
                capture.failedPartWay(GuardedStatement.partialCounts(failure));
            }
            abortWrite(run, transaction, trip, run.rowsCountedOnThisThread() - countedBefore);
            throw trip == null ? failure : withCause(run.exception(trip, rolledBack(transaction)), failure);
        } catch (SQLException | RuntimeException | Error failure) {
            if (capture != null && transaction != WriteTransaction.STATEMENT) {
                capture.abandon(); // the job's transaction goes on: the entries of a write that failed go
            }
            Trip partial = failure instanceof SQLException sql && transaction != WriteTransaction.STATEMENT
                    ? request.counter.countFailure(sql)
                    : null;
            abortWrite(run, transaction, partial, run.rowsCountedOnThisThread() - countedBefore);
            if (transaction == WriteTransaction.SANDBOX && partial == null && failure instanceof SQLException sql) {
                undoFailedAutoCommitWrite(sql);
            }
            if (partial != null && failure instanceof SQLException sql) {
                throw withCause(run.exception(partial, rolledBack(transaction)), sql);
            }
            if (transaction == WriteTransaction.SANDBOX
                    && failure instanceof SQLException sql
                    && owner.dialect(delegate).isLockTimeout(sql)) {
                throw lockWaitFailure(run, request.firstSql(), sql);
            }
            throw failure;
        }
        long rows = run.rowsCountedOnThisThread() - countedBefore;
        if (trip != null) {
            abortWrite(run, transaction, trip, rows);
            throw run.exception(trip, rolledBack(transaction));
        }
        switch (transaction) {
            case STATEMENT -> {
                try {
                    flushJournal();
                    delegate.commit();
                } catch (SQLException | RuntimeException failure) {
                    discardJournal();
                    run.rolledBack(rows);
                    delegate.rollback();
                    throw failure;
                } finally {
                    setDelegateAutoCommit(true);
                }
                run.committed(rows);
            }
            case AUTO -> run.committed(rows);
            case SANDBOX, JOB -> transactionRows.add(run, rows);
        }
        return result;
    }

    /** This connection's preflight: counts a write's rows before it runs ({@link Preflight}). */
    Preflight preflight() {
        return preflight;
    }

    /** Whether the write runs in this connection's own transaction (a sandbox or manual commit): a trip rolls it back. */
    boolean inOwnTransaction(RunContext run) throws SQLException {
        return sandboxRun == run || !delegateAutoCommit();
    }

    /** Rolls back the transaction a refusal before execution ended, and says so for the trip's message. */
    String rollBackRefused() throws SQLException {
        rollbackAfterTrip();
        return rolledBack(WriteTransaction.JOB);
    }

    GuardedDataSource owner() {
        return owner;
    }

    private boolean delegateAutoCommit() throws SQLException {
        Boolean known = autoCommit;
        if (known == null || unwrapped) {
            known = delegate.getAutoCommit();
            autoCommit = known;
        }
        return known;
    }

    private void setDelegateAutoCommit(boolean value) throws SQLException {
        autoCommit = null; // unknown should the call fail
        delegate.setAutoCommit(value);
        autoCommit = value;
    }

    /**
     * A statement that is not a counted write runs in a run: forgets the auto-commit state (it may be {@code SET
     * autocommit}), refuses transaction control sent as SQL that would end this connection's sandbox (a dry or atomic
     * run's transaction, which only the guard may end), and moves the journal along with the rest, as {@link
     * #commit()}, {@link #setSavepoint()} and {@link #rollback()} do: COMMIT, SAVEPOINT and BEGIN (which commits on
     * MySQL) write the waiting entries first, ROLLBACK (also to a savepoint) drops them.
     */
    void uncountedStatement(RunContext run, ClassifiedSql sql) throws SQLException {
        autoCommit = null;
        for (SqlStatementInfo statement : sql.statements()) {
            if (statement.kind() != StatementKind.TRANSACTION) {
                if (sandboxRun == run && statement.kind().isWrite()) {
                    wroteSinceCommitPoint = true; // a table the guard ignores: in the sandbox all the same
                }
                continue;
            }
            TransactionControl control = TransactionControl.of(statement.sql());
            if (control.endsTransaction() && sandboxRun == run) {
                throw new StatementRefusedException("jobguard: job '" + run.jobName() + "' ("
                        + (run.isDryRun() ? "dry run" : "atomic run") + "): refused " + statement.sql()
                        + " sent as SQL: it would end the transaction in which the guard keeps this run's writes"
                        + " until the run ends" + (run.isDryRun() ? " and rolls them back" : "")
                        + ". Fix: call Connection.commit(), rollback() or setAutoCommit() instead; the guard"
                        + " handles those for the run.");
            }
            switch (control) {
                case COMMIT, AUTOCOMMIT_ON -> transactionRows.committed();
                case ROLLBACK -> transactionRows.rolledBack();
                default -> {} // ROLLBACK TO SAVEPOINT sent as SQL: which rows it gave back is not known here
            }
            ConnectionJournal known = journal;
            if (known != null && known.hasPending()) {
                switch (control) {
                    case COMMIT, BEGIN, AUTOCOMMIT_ON, SAVEPOINT -> flushBeforeCommit();
                    case ROLLBACK, ROLLBACK_TO_SAVEPOINT -> discardAfterUncounted = true; // once it succeeded
                    default -> {}
                }
            }
        }
    }

    /**
     * Executes a statement of a run that the guard does not count (a read, a write to an ignored table): in the run's
     * sandbox its lock wait is bounded like any other, and a wait on the run's own rows is reported as such.
     */
    <R> R uncounted(RunContext run, ClassifiedSql sql, SqlCall<R> execute) throws SQLException {
        boolean discardAfter = discardAfterUncounted;
        discardAfterUncounted = false;
        R result;
        try {
            result = execute.call();
        } catch (SQLException failure) {
            if (sandboxRun == run && owner.dialect(delegate).isLockTimeout(failure)) {
                throw lockWaitFailure(run, sql == null ? null : sql.first().sql(), failure);
            }
            throw failure;
        }
        if (discardAfter) {
            // a ROLLBACK (TO SAVEPOINT) sent as SQL undid the waiting entries' writes; one the database refused did not
            discardJournal();
        }
        return result;
    }

    private ConnectionJournal journal() {
        ConnectionJournal known = journal;
        if (known == null) {
            known = new ConnectionJournal(owner.journaling());
            journal = known;
        }
        return known;
    }

    /** Writes the journal's waiting entries into the transaction about to commit. */
    private void flushJournal() throws SQLException {
        ConnectionJournal known = journal;
        if (known != null && known.hasPending()) {
            known.flush(delegate);
        }
    }

    private void discardJournal() {
        ConnectionJournal known = journal;
        if (known != null) {
            known.discard();
        }
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

    /**
     * Settles a trip found after the write returned (a later result of a multi-result CALL): rolls back what the
     * guard can and throws.
     */
    void tripAfterWrite(RunContext run, Trip trip) throws SQLException {
        boolean manual = sandboxRun == run || !delegateAutoCommit();
        if (manual) {
            rollbackAfterTrip();
        }
        throw run.exception(
                trip,
                manual
                        ? rolledBack(WriteTransaction.JOB)
                        : "The statement had already been committed by the driver (auto-commit).");
    }

    private static SQLException withCause(SQLException exception, SQLException cause) {
        exception.initCause(cause);
        return exception;
    }

    private static String rolledBack(WriteTransaction transaction) {
        return switch (transaction) {
            case STATEMENT -> "The statement was rolled back; later writes of this run are refused.";
            case SANDBOX -> "The run's writes were rolled back; later writes of this run are refused.";
            default -> "The transaction was rolled back; later writes and commits of this run are refused.";
        };
    }

    private WriteTransaction beginWrite(RunContext run, List<SqlStatementInfo> statements) throws SQLException {
        if (run.sandboxed()) {
            enlistSandbox(run);
            if (!lockWaitLimited) {
                limitLockWait(run);
            }
            if (wroteSinceCommitPoint
                    && jobAutoCommit
                    && owner.dialect(delegate).abortsTransactionOnError()) {
                // the writes before this one were each committed: if this one fails, they stay
                commitToSavepoint();
            }
            wroteSinceCommitPoint = true;
            if (!statements.isEmpty()) {
                lastSandboxWrite = statements.get(0);
            }
            return WriteTransaction.SANDBOX;
        }
        if (autoCommitRun != run) {
            // the state is read from the driver once per run; it changes only through this connection after that
            autoCommitRun = run;
            autoCommit = null;
        }
        if (delegateAutoCommit()) {
            if (!run.needsStatementTransactions()) {
                return WriteTransaction.AUTO;
            }
            setDelegateAutoCommit(false);
            return WriteTransaction.STATEMENT;
        }
        uncommittedRunWrites = true;
        if (jobTransactionRun != run) {
            jobTransactionRun = run;
            run.enlist(this);
        }
        return WriteTransaction.JOB;
    }

    /**
     * In a sandbox, a failed statement of an auto-commit job changes nothing and the job's next statement runs, as
     * without the sandbox: where a failed statement aborts the whole transaction (PostgreSQL), the sandbox goes back
     * to its point before the statement.
     */
    private void undoFailedAutoCommitWrite(SQLException failure) {
        if (!jobAutoCommit || sandboxRun == null) {
            return;
        }
        try {
            if (owner.dialect(delegate).abortsTransactionOnError()) {
                discardJournal();
                rollbackToCommitPoint();
            }
        } catch (SQLException undoFailed) {
            failure.addSuppressed(undoFailed);
        }
    }

    /** Settles a write that failed or tripped, whose execution had counted {@code rows}. */
    private void abortWrite(RunContext run, WriteTransaction transaction, Trip trip, long rows) throws SQLException {
        switch (transaction) {
            case STATEMENT -> {
                run.rolledBack(rows);
                discardJournal();
                try {
                    delegate.rollback();
                } finally {
                    setDelegateAutoCommit(true);
                }
            }
            case SANDBOX, JOB -> {
                transactionRows.add(run, rows); // a batch's entries that ran stay in the transaction
                if (trip != null) {
                    rollbackAfterTrip();
                }
            }
            case AUTO -> run.committed(rows); // the driver committed what ran
        }
    }

    private void rollbackAfterTrip() throws SQLException {
        committedPoint = null;
        discardJournal();
        transactionRows.rolledBack();
        lockWaitLimited = false;
        delegate.rollback();
    }

    /** Bounds the sandbox's lock waits (a run waiting on its own uncommitted rows would wait forever). */
    private void limitLockWait(RunContext run) throws SQLException {
        lockWaitLimited = true;
        Long previous;
        try {
            previous = owner.dialect(delegate).limitLockWait(delegate, run.sandboxLockTimeout());
        } catch (SQLException refused) {
            // the job's write goes on; only the bound is missing (not on PostgreSQL, where the read cannot fail)
            if (owner.firstLockWaitWarning()) {
                LOG.warn(
                        "jobguard: job '{}': could not bound the lock waits of a {} run's connection ({}); a second"
                                + " connection of the run that waits on the run's own rows waits as long as the"
                                + " database lets it. Fix: let the application's database user set the session's"
                                + " lock timeout.",
                        run.jobName(),
                        run.isDryRun() ? "dry" : "atomic",
                        refused.getMessage());
            }
            return;
        }
        if (previousLockWait == null) {
            previousLockWait = previous; // set again after a rollback: the first one is what the session had
        }
    }

    /**
     * A sandboxed statement's lock wait timed out. When another connection of the run holds an open transaction, the
     * run waits on itself: its own uncommitted rows, which the guard commits or rolls back only when the run ends.
     */
    private SQLException lockWaitFailure(RunContext run, String waiting, SQLException timeout) {
        StringBuilder holders = new StringBuilder();
        int count = 0;
        for (RunParticipant participant : run.participants()) {
            if (participant != this && participant instanceof GuardedConnection other && other.sandboxRun == run) {
                holders.append(count++ == 0 ? "" : "; ").append(other.describe(true));
            }
        }
        String mode = run.isDryRun() ? "dry run" : "atomic run";
        String statement = waiting == null ? "" : " Waiting statement: " + SqlText.shorten(waiting) + ".";
        String message;
        if (count == 0) {
            message = "jobguard: job '" + run.jobName() + "' (" + mode + "): " + describe(false)
                    + " waited longer than the"
                    + " sandbox lock timeout (" + run.sandboxLockTimeout() + ") for a lock held outside this run."
                    + statement + " A " + mode + " keeps its locks until the run ends, so its waits are bounded. Fix:"
                    + " run it when the other work is done, or raise JobGuard.builder().sandboxLockTimeout(...).";
        } else {
            message = "jobguard: job '" + run.jobName() + "' (" + mode + "), run " + run.runId() + ", waits on itself: "
                    + describe(false) + " waited longer than the sandbox lock timeout (" + run.sandboxLockTimeout()
                    + ") for a lock held by " + (count == 1 ? "" : "one of ") + holders + " of the same run, whose"
                    + " writes the guard keeps uncommitted until the run ends, so the wait would never end." + statement
                    + " Fix: make this write on the connection that holds the rows (the same transaction: no"
                    + " REQUIRES_NEW, no second thread writing the same rows), or ignore the table if it is a"
                    + " framework's own bookkeeping (JobGuard.builder().ignoredTables(...)), or run the job in ENFORCE"
                    + " mode, where each transaction commits when the job commits it.";
        }
        SQLException failure = new SQLException(message, timeout.getSQLState(), timeout.getErrorCode(), timeout);
        return failure;
    }

    /** This connection as the run's messages name it. */
    private String describe(boolean lastWrite) {
        return "connection #" + sandboxNumber + " (thread " + sandboxThread
                + (!lastWrite || lastSandboxWrite == null
                        ? ""
                        : ", last write: " + SqlText.shorten(lastSandboxWrite.sql()))
                + ")";
    }

    private void refuseImplicitCommit(RunContext run, SqlStatementInfo statement) throws SQLException {
        if (!statement.kind().isSchemaChange() || !run.sandboxed()) {
            return;
        }
        Dialect dialect = owner.dialect(delegate);
        if (dialect.commitsImplicitly(statement)) {
            throw new StatementRefusedException("jobguard: job '" + run.jobName() + "' ("
                    + (run.isDryRun() ? "dry run" : "atomic run") + "): refused " + statement.kind()
                    + " statement, because " + dialect + " commits the open transaction before it, which would"
                    + " commit the writes the guard must be able to roll back. Statement: " + statement.sql()
                    + ". Fix: move schema changes out of the job, or use a temporary table where the database"
                    + " keeps it in the transaction (CREATE TEMPORARY TABLE on MySQL/MariaDB, any DDL on"
                    + " PostgreSQL).");
        }
    }

    private void enlistSandbox(RunContext run) throws SQLException {
        if (sandboxRun == run) {
            return;
        }
        if (sandboxRun != null && !sandboxRun.isFinished()) {
            throw new StatementRefusedException("jobguard: job '" + run.jobName()
                    + "': this connection belongs to the sandbox of run " + sandboxRun.runId() + " of job '"
                    + sandboxRun.jobName() + "'; a connection cannot be shared by two runs.");
        }
        jobAutoCommit = delegateAutoCommit();
        if (jobAutoCommit) {
            setDelegateAutoCommit(false);
        }
        sandboxRun = run;
        committedPoint = null;
        closedByJob = false;
        wroteSinceCommitPoint = false;
        lockWaitLimited = false;
        sandboxNumber = run.nextSandboxConnection();
        sandboxThread = Thread.currentThread().getName();
        run.enlist(this);
    }

    @Override
    public void tripped(RunContext run) {
        poisonedBy = run;
    }

    @Override
    public void finish(RunContext run, boolean commit) throws SQLException {
        if (sandboxRun == run) {
            finishSandbox(commit);
        } else if (run.isTripped() && !delegate.isClosed()) {
            discardJournal();
            transactionRows.rolledBack();
            delegate.rollback();
        }
    }

    private void finishSandbox(boolean commit) throws SQLException {
        sandboxRun = null;
        committedPoint = null;
        wroteSinceCommitPoint = false;
        lockWaitLimited = false;
        lastSandboxWrite = null;
        Long lockWait = previousLockWait;
        previousLockWait = null;
        // a connection going back to the pool gets the pool's settings; one the job still holds gets what it set
        Boolean readOnly = closedByJob ? pooledReadOnly : jobReadOnly;
        Integer isolation = closedByJob ? pooledIsolation : jobIsolation;
        jobReadOnly = null;
        jobIsolation = null;
        pooledAutoCommit = null;
        pooledReadOnly = null;
        pooledIsolation = null;
        try {
            if (!delegate.isClosed()) {
                try {
                    if (commit) {
                        flushJournal();
                        delegate.commit();
                        transactionRows.committed();
                    } else {
                        discardJournal();
                        transactionRows.rolledBack();
                        delegate.rollback();
                    }
                } finally {
                    if (jobAutoCommit) {
                        setDelegateAutoCommit(true);
                    }
                    if (lockWait != null) {
                        owner.dialect(delegate).restoreLockWait(delegate, lockWait);
                    }
                }
                if (readOnly != null) {
                    delegate.setReadOnly(readOnly);
                }
                if (isolation != null) {
                    delegate.setTransactionIsolation(isolation);
                }
            }
        } finally {
            if (closedByJob) {
                closedByJob = false;
                delegate.close();
            }
        }
    }

    private SQLException refusedCommit(RunContext run) throws SQLException {
        discardJournal();
        transactionRows.rolledBack();
        delegate.rollback();
        return run.exception(
                run.trip(),
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
        if (sandboxRun != null) {
            commitToSavepoint();
            return;
        }
        flushBeforeCommit();
        delegate.commit();
        transactionRows.committed();
        uncommittedRunWrites = false;
    }

    /** Writes the waiting entries into the transaction about to commit. */
    private void flushBeforeCommit() throws SQLException {
        try {
            flushJournal();
        } catch (SQLException failed) {
            if (!IN_FAILED_TRANSACTION.equals(failed.getSQLState())) {
                throw failed;
            }
            // PostgreSQL aborted the transaction (the job caught a failed statement): nothing of it will commit, so
            // its entries go, and the driver's commit reports what it always does
            discardJournal();
        }
    }

    /** PostgreSQL's SQLState for a statement sent in a transaction that an earlier failure aborted. */
    private static final String IN_FAILED_TRANSACTION = "25P02";

    /** The job's commit inside a sandbox: remembered as a savepoint its later rollback returns to. */
    private void commitToSavepoint() throws SQLException {
        flushJournal();
        if (committedPoint != null) {
            // released first: PostgreSQL's RELEASE also destroys every savepoint set after the one released
            delegate.releaseSavepoint(committedPoint);
            transactionRows.released(committedPoint);
            committedPoint = null;
        }
        committedPoint = delegate.setSavepoint();
        transactionRows.savepoint(committedPoint);
        wroteSinceCommitPoint = false;
    }

    @Override
    public void rollback() throws SQLException {
        poisonedBy = null;
        if (sandboxRun != null) {
            rollbackToCommitPoint();
            discardJournal();
            return;
        }
        delegate.rollback();
        discardJournal(); // once the database has rolled back: a failed rollback leaves the writes
        transactionRows.rolledBack();
        uncommittedRunWrites = false;
    }

    /** The job's rollback inside a sandbox: back to its last commit point, or the whole transaction before any. */
    private void rollbackToCommitPoint() throws SQLException {
        wroteSinceCommitPoint = false;
        lockWaitLimited = false; // PostgreSQL undoes a SET LOCAL made after the point
        if (committedPoint != null) {
            delegate.rollback(committedPoint);
            transactionRows.rolledBackTo(committedPoint);
            return;
        }
        delegate.rollback();
        transactionRows.rolledBack();
    }

    @Override
    public void rollback(Savepoint savepoint) throws SQLException {
        delegate.rollback(savepoint);
        // entries wait only since the newest savepoint (setSavepoint writes them): all of them are rolled back. Not
        // before the database did: a savepoint it refuses (one set before a commit) leaves the writes, which H2 and
        // MariaDB then commit with the transaction, and their entries with them
        discardJournal();
        transactionRows.rolledBackTo(savepoint);
        lockWaitLimited = false;
    }

    @Override
    public Savepoint setSavepoint() throws SQLException {
        flushJournal();
        Savepoint savepoint = delegate.setSavepoint();
        transactionRows.savepoint(savepoint);
        return savepoint;
    }

    @Override
    public Savepoint setSavepoint(String name) throws SQLException {
        flushJournal();
        Savepoint savepoint = delegate.setSavepoint(name);
        transactionRows.savepoint(savepoint);
        return savepoint;
    }

    @Override
    public void releaseSavepoint(Savepoint savepoint) throws SQLException {
        delegate.releaseSavepoint(savepoint);
        transactionRows.released(savepoint);
    }

    @Override
    public void setAutoCommit(boolean autoCommit) throws SQLException {
        if (sandboxRun != null) {
            if (pooledAutoCommit == null) {
                pooledAutoCommit = jobAutoCommit;
            }
            if (autoCommit ? !jobAutoCommit : jobAutoCommit && wroteSinceCommitPoint) {
                // on: commits the job's transaction; off: the writes made in auto-commit were each committed, so the
                // job's transaction, and a rollback of it, starts after them
                commit();
            }
            jobAutoCommit = autoCommit;
            return;
        }
        if (pooledAutoCommit == null && inSandboxedRun()) {
            pooledAutoCommit = delegateAutoCommit();
        }
        RunContext refused = poisonedBy;
        if (autoCommit && refused != null && !delegateAutoCommit()) {
            throw refusedCommit(refused);
        }
        boolean commits = autoCommit && !delegateAutoCommit();
        if (autoCommit) {
            flushJournal(); // switching auto-commit on commits the open transaction
        }
        setDelegateAutoCommit(autoCommit);
        if (commits) {
            transactionRows.committed();
        }
        uncommittedRunWrites &= !autoCommit;
    }

    @Override
    public boolean getAutoCommit() throws SQLException {
        return sandboxRun != null ? jobAutoCommit : delegateAutoCommit();
    }

    @Override
    public void close() throws SQLException {
        RunContext run = sandboxRun;
        if (run != null && !run.isFinished()) {
            if (!closedByJob) {
                closedByJob = true;
                if (reusableInRun) {
                    returnToRun(run);
                }
            }
            return;
        }
        poisonedBy = null;
        discardJournal();
        try {
            if (uncommittedRunWrites && !delegate.isClosed() && !delegate.getAutoCommit()) {
                // the JDBC spec leaves an open transaction on close to the driver, and a pool may commit it (HikariCP
                // resets auto-commit without a rollback after executeLargeUpdate): a run's writes nobody committed
                // are rolled back here
                delegate.rollback();
                transactionRows.rolledBack();
            }
        } finally {
            uncommittedRunWrites = false;
            delegate.close();
        }
    }

    /**
     * The job closed this sandboxed connection: it goes back to the run, as a pool would take it back (the job's open
     * transaction rolled back to its last commit, its settings as they came from the pool), for the thread's next
     * {@code getConnection()}. The sandbox transaction goes on under it.
     */
    private void returnToRun(RunContext run) throws SQLException {
        if (wroteSinceCommitPoint) {
            if (jobAutoCommit) {
                commitToSavepoint(); // writes in auto-commit mode were each committed
            } else {
                discardJournal();
                rollbackToCommitPoint();
            }
        }
        if (pooledAutoCommit != null) {
            jobAutoCommit = pooledAutoCommit;
        }
        // the open transaction keeps what it began with; the next user reads what the pool gave
        jobReadOnly = pooledReadOnly;
        jobIsolation = pooledIsolation;
        run.keepIdle(owner, this);
    }

    /** Hands out again a connection the job closed earlier in the run: see {@link #returnToRun}. */
    void reopen() {
        closedByJob = false;
    }

    /** Whether a dry or atomic run is active on this thread. */
    private static boolean inSandboxedRun() {
        RunContext run = RunContext.current();
        return run != null && run.sandboxed();
    }

    @Override
    public boolean isClosed() throws SQLException {
        return closedByJob || delegate.isClosed();
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
    public DatabaseMetaData getMetaData() throws SQLException {
        DatabaseMetaData metaData = delegate.getMetaData();
        if (metaData == null) {
            return null;
        }
        // DatabaseMetaData.getConnection() would hand the job the driver's connection, on which writes bypass the
        // guard: it returns this connection instead
        return (DatabaseMetaData) Proxy.newProxyInstance(
                GuardedConnection.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class},
                (proxy, method, args) -> {
                    if (method.getParameterCount() == 0 && method.getName().equals("getConnection")) {
                        return this;
                    }
                    try {
                        return method.invoke(metaData, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public int getTransactionIsolation() throws SQLException {
        Integer set = jobIsolation;
        return set != null && sandboxRun != null ? set : delegate.getTransactionIsolation();
    }

    @Override
    public boolean isReadOnly() throws SQLException {
        Boolean set = jobReadOnly;
        return (set != null && sandboxRun != null) ? set : delegate.isReadOnly();
    }

    /**
     * Inside a sandbox the transaction spans the job's transactions and keeps the read-only mode it began with (drivers
     * refuse to change it mid-transaction): the job's value is kept for it to read, and applied when the run ends.
     */
    @Override
    public void setReadOnly(boolean readOnly) throws SQLException {
        if (sandboxRun != null) {
            jobReadOnly = readOnly;
            return;
        }
        if (inSandboxedRun()) {
            if (pooledReadOnly == null) {
                pooledReadOnly = delegate.isReadOnly();
            }
            delegate.setReadOnly(readOnly);
            return;
        }
        delegate.setReadOnly(readOnly);
    }

    /** As {@link #setReadOnly}: inside a sandbox the transaction keeps the isolation it began with. */
    @Override
    public void setTransactionIsolation(int level) throws SQLException {
        if (sandboxRun != null) {
            jobIsolation = level;
            return;
        }
        if (inSandboxedRun()) {
            if (pooledIsolation == null) {
                pooledIsolation = delegate.getTransactionIsolation();
            }
            delegate.setTransactionIsolation(level);
            return;
        }
        delegate.setTransactionIsolation(level);
    }
}
