package dev.jobguard.jdbc;

import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.run.RunParticipant;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.internal.sql.SqlText;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dry or atomic run's hold on one {@link GuardedConnection}, from the run's first write on it until the run ends:
 * the connection is in manual commit under the run's one transaction, which only the guard ends. The job's commits are
 * savepoints ({@link #commitToSavepoint}), its rollbacks go back to the last of them, its auto-commit, read-only and
 * isolation settings are kept here for it to read, and the transaction's lock waits are bounded so that the run cannot
 * wait on its own rows forever.
 */
final class Sandbox {

    private static final Logger LOG = LoggerFactory.getLogger(Sandbox.class);

    /**
     * A connection's settings as it came from the pool, read at the job's first change of each in a sandboxed run
     * (before or after the run's first write on it): what the connection gets back when the job closes it and when the
     * run ends. Null: not changed.
     */
    static final class PooledSettings {
        @Nullable
        Boolean autoCommit;

        @Nullable
        Boolean readOnly;

        @Nullable
        Integer isolation;
    }

    private final GuardedConnection connection;
    final RunContext run;
    /** This connection's number in its run's sandbox, for messages. */
    private final int number;
    /** The thread that brought the connection into the sandbox, for messages. */
    private final String thread;

    /** The auto-commit mode the job believes the connection is in. */
    boolean jobAutoCommit;
    /** The point the job last "committed" to. */
    private @Nullable Savepoint committedPoint;
    /**
     * The job closed the connection: the run keeps it for its next {@code getConnection()} on the thread, and the
     * guard closes it when the run ends.
     */
    boolean closedByJob;
    /** A write ran since the job's last commit point (its commit, rollback, or the connection's reuse). */
    boolean wroteSinceCommitPoint;
    /** The last counted write, for messages. */
    private @Nullable SqlStatementInfo lastWrite;
    /** The run's lock timeout is in force on the driver's connection (a rollback on PostgreSQL undoes it). */
    boolean lockWaitLimited;
    /** The driver's lock timeout before the sandbox shortened it, put back when the run ends; null: nothing to. */
    private @Nullable Long previousLockWait;
    /** What the job set: the open transaction keeps what it began with. Null: as the driver says. */
    @Nullable
    Boolean jobReadOnly;

    @Nullable
    Integer jobIsolation;

    Sandbox(GuardedConnection connection, RunContext run, boolean jobAutoCommit) {
        this.connection = connection;
        this.run = run;
        this.jobAutoCommit = jobAutoCommit;
        this.number = run.nextSandboxConnection();
        this.thread = Thread.currentThread().getName();
    }

    /** A write is about to run in the sandbox. */
    void beforeWrite(List<SqlStatementInfo> statements) throws SQLException {
        if (!lockWaitLimited) {
            limitLockWait();
        }
        if (wroteSinceCommitPoint
                && jobAutoCommit
                && connection.owner().dialect(connection.delegate).abortsTransactionOnError()) {
            // the writes before this one were each committed: if this one fails, they stay
            commitToSavepoint();
        }
        wroteSinceCommitPoint = true;
        if (!statements.isEmpty()) {
            lastWrite = statements.get(0);
        }
    }

    /** The job's commit: remembered as a savepoint its later rollback returns to. */
    void commitToSavepoint() throws SQLException {
        connection.transaction.flushJournal();
        if (committedPoint != null) {
            // released first: PostgreSQL's RELEASE also destroys every savepoint set after the one released
            connection.delegate.releaseSavepoint(committedPoint);
            connection.transaction.rows.released(committedPoint);
            committedPoint = null;
        }
        committedPoint = connection.delegate.setSavepoint();
        connection.transaction.rows.savepoint(committedPoint);
        wroteSinceCommitPoint = false;
    }

    /** The job's rollback: back to its last commit point, or the whole transaction before any. */
    void rollbackToCommitPoint() throws SQLException {
        wroteSinceCommitPoint = false;
        lockWaitLimited = false; // PostgreSQL undoes a SET LOCAL made after the point
        if (committedPoint != null) {
            connection.delegate.rollback(committedPoint);
            connection.transaction.rows.rolledBackTo(committedPoint);
            return;
        }
        connection.delegate.rollback();
        connection.transaction.rows.rolledBack();
    }

    /**
     * The job closed the connection: it goes back to the run, as a pool would take it back (the job's open transaction
     * rolled back to its last commit, its settings as they came from the pool), for the thread's next {@code
     * getConnection()}. The sandbox transaction goes on under it.
     */
    void returnToRun(PooledSettings pooled) throws SQLException {
        if (wroteSinceCommitPoint) {
            if (jobAutoCommit) {
                commitToSavepoint(); // writes in auto-commit mode were each committed
            } else {
                connection.transaction.discardJournal();
                rollbackToCommitPoint();
            }
        }
        if (pooled.autoCommit != null) {
            jobAutoCommit = pooled.autoCommit;
        }
        // the open transaction keeps what it began with; the next user reads what the pool gave
        jobReadOnly = pooled.readOnly;
        jobIsolation = pooled.isolation;
        run.keepIdle(connection.owner(), connection);
    }

    /**
     * The run ended (the connection no longer holds this sandbox): the guard commits or rolls back its transaction,
     * puts the connection's settings back, and closes it if the job had.
     */
    void finish(boolean commit, PooledSettings pooled) throws SQLException {
        // a connection going back to the pool gets the pool's settings; one the job still holds gets what it set
        Boolean readOnly = closedByJob ? pooled.readOnly : jobReadOnly;
        Integer isolation = closedByJob ? pooled.isolation : jobIsolation;
        pooled.autoCommit = null;
        pooled.readOnly = null;
        pooled.isolation = null;
        Connection delegate = connection.delegate;
        try {
            if (!delegate.isClosed()) {
                try {
                    if (commit) {
                        connection.transaction.flushJournal();
                        delegate.commit();
                        connection.transaction.rows.committed();
                    } else {
                        connection.transaction.discardJournal();
                        connection.transaction.rows.rolledBack();
                        delegate.rollback();
                    }
                } finally {
                    if (jobAutoCommit) {
                        connection.setDelegateAutoCommit(true);
                    }
                    if (previousLockWait != null) {
                        connection.owner().dialect(delegate).restoreLockWait(delegate, previousLockWait);
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

    /** The guard rolled the whole transaction back (a trip): the job's commit point and the lock bound are gone. */
    void rolledBack() {
        committedPoint = null;
        lockWaitLimited = false;
    }

    /**
     * A failed statement of an auto-commit job changes nothing and the job's next statement runs, as without the
     * sandbox: where a failed statement aborts the whole transaction (PostgreSQL), the sandbox goes back to its point
     * before the statement.
     */
    void undoFailedAutoCommitWrite(SQLException failure) {
        if (!jobAutoCommit) {
            return;
        }
        try {
            if (connection.owner().dialect(connection.delegate).abortsTransactionOnError()) {
                connection.transaction.discardJournal();
                rollbackToCommitPoint();
            }
        } catch (SQLException undoFailed) {
            failure.addSuppressed(undoFailed);
        }
    }

    /** Bounds the sandbox's lock waits (a run waiting on its own uncommitted rows would wait forever). */
    private void limitLockWait() throws SQLException {
        lockWaitLimited = true;
        Long previous;
        try {
            previous = connection
                    .owner()
                    .dialect(connection.delegate)
                    .limitLockWait(connection.delegate, run.sandboxLockTimeout());
        } catch (SQLException refused) {
            // the job's write goes on; only the bound is missing (not on PostgreSQL, where the read cannot fail)
            if (connection.owner().firstLockWaitWarning()) {
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
     * A statement's lock wait timed out. When another connection of the run holds an open transaction, the run waits
     * on itself: its own uncommitted rows, which the guard commits or rolls back only when the run ends.
     */
    SQLException lockWaitFailure(@Nullable String waiting, SQLException timeout) {
        StringBuilder holders = new StringBuilder();
        int count = 0;
        for (RunParticipant participant : run.participants()) {
            Sandbox holder = participant != connection && participant instanceof GuardedConnection other
                    ? other.sandbox()
                    : null;
            if (holder != null && holder.run == run) {
                holders.append(count++ == 0 ? "" : "; ").append(holder.describe(true));
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
        return new SQLException(message, timeout.getSQLState(), timeout.getErrorCode(), timeout);
    }

    /** This connection as the run's messages name it. */
    private String describe(boolean withLastWrite) {
        return "connection #" + number + " (thread " + thread
                + (!withLastWrite || lastWrite == null ? "" : ", last write: " + SqlText.shorten(lastWrite.sql()))
                + ")";
    }
}
