package dev.jobguard.jdbc;

import dev.jobguard.StatementRefusedException;
import dev.jobguard.Trip;
import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.journal.ConnectionJournal;
import dev.jobguard.internal.journal.JournalWrite;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.ClassifiedSql;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.internal.sql.StatementKind;
import java.sql.BatchUpdateException;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Executes the statements of guarded runs on one {@link GuardedConnection}. A write goes through the same steps: the checks before it
 * (the run tripped or ended, a TRUNCATE under a limit, an implicit commit in a sandbox), the transaction it runs in
 * ({@link WriteTransaction}), the journal's capture of the rows it will change, the call, the count of its result,
 * then the trip (rolled back and thrown) or the commit. A statement describes the write in a {@link WriteRequest};
 * what one write holds lives in the locals of {@link #execute}. A statement the guard does not count runs through
 * {@link #beforeUncounted} and {@link #uncounted}: only transaction control sent as SQL changes anything there.
 */
final class WriteExecutor {

    /** Which transaction a write of a run executes in. */
    enum WriteTransaction {
        /** The guard's sandbox transaction (dry run, atomic). */
        SANDBOX,
        /** A transaction of its own around the one write, on an auto-commit connection. */
        STATEMENT,
        /** The job's own transaction, on a manual-commit connection. */
        JOB,
        /** Auto-commit as the job set it: nothing can trip (observe mode, or no limits). */
        AUTO
    }

    private final GuardedConnection connection;
    /** The run for which the connection's auto-commit state was last read from the driver. */
    private @Nullable RunContext autoCommitRun;
    /** The last run whose writes joined the connection's own (manual-commit) transaction. */
    private @Nullable RunContext jobTransactionRun;
    /** The statement about to run is a ROLLBACK (TO SAVEPOINT) sent as SQL: the journal's entries go once it ran. */
    private boolean discardAfterUncounted;

    WriteExecutor(GuardedConnection connection) {
        this.connection = connection;
    }

    /**
     * Executes a write of a guarded run: checks it first, runs it in the transaction its connection calls for (reading
     * its rows for the journal first in a journaling run), counts it, and rolls it back (throwing) when it crosses a
     * limit.
     */
    <R> R execute(WriteRequest<R> request) throws SQLException {
        // kept short, the rare paths in methods of their own: the JIT then compiles it into the statement's call
        RunContext run = request.run;
        check(run, request.statements);
        WriteTransaction transaction = begin(run, request.statements);
        long countedBefore = run.rowsCountedOnThisThread();
        R result;
        Trip trip;
        ConnectionJournal.Capture capture = null;
        try {
            capture = capture(request);
            result = capture != null && capture.executed() ? journalRan(request, capture) : request.execute.call();
            trip = request.counter.count(result);
            if (trip == null && capture != null) {
                // the journal's own write returned its keys: the job's statement, and its generated keys, did not run
                capture.after(request.keys == null || capture.executed() ? null : request.keys.read());
            }
        } catch (SQLException | RuntimeException | Error failure) {
            throw failedWrite(request, transaction, capture, countedBefore, failure);
        }
        settleCounted(request, transaction, trip, countedBefore);
        return result;
    }

    /**
     * {@link #execute} for a prepared update its statement found counted and nothing else on an earlier execution in
     * the run ({@link GuardedStatement#countedOnly}): the same steps, without a journal's capture, called on the
     * driver's statement directly.
     */
    long countedUpdate(WriteRequest<Long> request, PreparedStatement job) throws SQLException {
        RunContext run = request.run;
        check(run, request.statements);
        WriteTransaction transaction = begin(run, request.statements);
        long countedBefore = run.rowsCountedOnThisThread();
        long result;
        Trip trip;
        try {
            result = job.executeUpdate();
            trip = countUpdate(run, request.statements.get(0), result);
        } catch (SQLException | RuntimeException | Error failure) {
            throw failedWrite(request, transaction, null, countedBefore, failure);
        }
        settleCounted(request, transaction, trip, countedBefore);
        return result;
    }

    /** A write that ran and was counted: its trip rolled back and thrown, else its rows settled in its transaction. */
    private void settleCounted(
            WriteRequest<?> request, WriteTransaction transaction, @Nullable Trip trip, long countedBefore)
            throws SQLException {
        long rows = request.run.rowsCountedOnThisThread() - countedBefore;
        if (trip != null) {
            throw tripped(request, transaction, trip, rows);
        }
        settle(request.run, transaction, rows);
    }

    /** Counts an update's rows as the driver reported them; returns the trip they caused, or null. */
    static @Nullable Trip countUpdate(RunContext run, SqlStatementInfo statement, long rows) {
        return run.record(statement, rows, false);
    }

    /** The result of a write the journal ran itself, in one statement with its read. */
    private static <R> R journalRan(WriteRequest<R> request, ConnectionJournal.Capture capture) throws SQLException {
        WriteRequest.JournalRuns<R> runs =
                Objects.requireNonNull(request.journalRuns, "the journal runs only a write that lets it");
        if (runs.batch()) {
            // the journal ran the batch's entries: they must not run again
            Objects.requireNonNull(request.job, "a journaled write names the job's statement")
                    .clearBatch();
        }
        return runs.result().apply(capture.updateCounts());
    }

    /** A batch that failed part-way: counts the entries that ran, settles them and returns what to throw. */
    private SQLException failedBatch(
            WriteRequest<?> request,
            WriteTransaction transaction,
            ConnectionJournal.@Nullable Capture capture,
            long countedBefore,
            BatchUpdateException failure)
            throws SQLException {
        RunContext run = request.run;
        Trip trip = request.counter.countPartial(failure);
        if (capture != null && trip == null && transaction != WriteTransaction.STATEMENT) {
            // the entries that ran stay in the job's transaction: journaled where the driver tells which they
            // were, else a gap
            capture.failedPartWay(BatchWrite.partialCounts(failure));
        }
        abort(run, transaction, trip, run.rowsCountedOnThisThread() - countedBefore);
        return trip == null ? failure : withCause(run.exception(trip, rolledBack(transaction)), failure);
    }

    /**
     * A write that failed: settles what it counted and returns what to throw (an Error or RuntimeException as is; a
     * batch that failed part-way through {@link #failedBatch}).
     */
    private SQLException failedWrite(
            WriteRequest<?> request,
            WriteTransaction transaction,
            ConnectionJournal.@Nullable Capture capture,
            long countedBefore,
            Throwable failure)
            throws SQLException {
        if (failure instanceof BatchUpdateException batch) {
            return failedBatch(request, transaction, capture, countedBefore, batch);
        }
        RunContext run = request.run;
        if (capture != null && transaction != WriteTransaction.STATEMENT) {
            capture.abandon(); // the job's transaction goes on: the entries of a write that failed go
        }
        Trip partial = failure instanceof SQLException sql && transaction != WriteTransaction.STATEMENT
                ? request.counter.countFailure(sql)
                : null;
        abort(run, transaction, partial, run.rowsCountedOnThisThread() - countedBefore);
        if (failure instanceof SQLException sql) {
            return failed(request, transaction, partial, sql);
        }
        if (failure instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        throw (Error) failure; // the write's catch takes only these three
    }

    /** A write that crossed a limit: rolls back what the guard can and returns the exception the job gets. */
    private SQLException tripped(WriteRequest<?> request, WriteTransaction transaction, Trip trip, long rows)
            throws SQLException {
        abort(request.run, transaction, trip, rows);
        return request.run.exception(trip, request.counter.tripDetail(trip) + rolledBack(transaction));
    }

    /**
     * Settles a trip found after the write returned (a later result of a multi-result CALL): rolls back what the
     * guard can and throws.
     */
    void tripAfterWrite(RunContext run, Trip trip) throws SQLException {
        boolean manual = connection.sandboxedIn(run) || !connection.delegateAutoCommit();
        if (manual) {
            connection.rollbackAfterTrip();
        }
        throw run.exception(
                trip,
                manual
                        ? rolledBack(WriteTransaction.JOB)
                        : "The statement had already been committed by the driver (auto-commit).");
    }

    /** Whether the write runs in this connection's own transaction (a sandbox or manual commit): a trip rolls it back. */
    boolean inOwnTransaction(RunContext run) throws SQLException {
        return connection.sandboxedIn(run) || !connection.delegateAutoCommit();
    }

    /** Rolls back the transaction a refusal before execution ended, and says so for the trip's message. */
    String rollBackRefused() throws SQLException {
        connection.rollbackAfterTrip();
        return rolledBack(WriteTransaction.JOB);
    }

    // ---- statements of a run the guard does not count ----

    /**
     * A statement that is not a counted write is about to run in a run: forgets the auto-commit state (it may be
     * {@code SET autocommit}), refuses transaction control sent as SQL that would end this connection's sandbox (a dry
     * or atomic run's transaction, which only the guard may end), and moves the journal along with the rest, as
     * {@code commit()}, {@code setSavepoint()} and {@code rollback()} do: COMMIT, SAVEPOINT and BEGIN (which commits
     * on MySQL) write the waiting entries first, ROLLBACK (also to a savepoint) drops them once it ran.
     */
    void beforeUncounted(RunContext run, ClassifiedSql sql) throws SQLException {
        connection.forgetAutoCommit();
        for (SqlStatementInfo statement : sql.statements()) {
            if (statement.kind() != StatementKind.TRANSACTION) {
                Sandbox sandbox = connection.sandbox();
                if (sandbox != null && sandbox.run == run && statement.kind().isWrite()) {
                    // a table the guard ignores: in the sandbox all the same
                    sandbox.wroteSinceCommitPoint = true;
                }
                continue;
            }
            TransactionControl control = TransactionControl.of(statement.sql());
            if (control.endsTransaction() && connection.sandboxedIn(run)) {
                throw new StatementRefusedException("jobguard: job '" + run.jobName() + "' ("
                        + (run.isDryRun() ? "dry run" : "atomic run") + "): refused " + statement.sql()
                        + " sent as SQL: it would end the transaction in which the guard keeps this run's writes"
                        + " until the run ends" + (run.isDryRun() ? " and rolls them back" : "")
                        + ". Fix: call Connection.commit(), rollback() or setAutoCommit() instead; the guard"
                        + " handles those for the run.");
            }
            switch (control) {
                case COMMIT, AUTOCOMMIT_ON -> connection.transaction.rows.committed();
                case ROLLBACK -> connection.transaction.rows.rolledBack();
                default -> {} // ROLLBACK TO SAVEPOINT sent as SQL: which rows it gave back is not known here
            }
            if (connection.transaction.journalPending()) {
                switch (control) {
                    case COMMIT, BEGIN, AUTOCOMMIT_ON, SAVEPOINT -> connection.transaction.flushBeforeCommit();
                    case ROLLBACK, ROLLBACK_TO_SAVEPOINT -> discardAfterUncounted = true; // once it succeeded
                    default -> {}
                }
            }
        }
    }

    /**
     * Executes a statement of a run that the guard does not count (a read, a write to an ignored table), after
     * {@link #beforeUncounted}: in the run's sandbox its lock wait is bounded like any other, and a wait on the run's
     * own rows is reported as such.
     */
    <R> R uncounted(RunContext run, @Nullable ClassifiedSql sql, SqlCall<R> execute) throws SQLException {
        boolean discardAfter = discardAfterUncounted;
        discardAfterUncounted = false;
        R result;
        try {
            result = execute.call();
        } catch (SQLException failure) {
            Sandbox sandbox = connection.sandbox();
            if (sandbox != null
                    && sandbox.run == run
                    && connection.owner().dialect(connection.delegate).isLockTimeout(failure)) {
                throw sandbox.lockWaitFailure(sql == null ? null : sql.first().sql(), failure);
            }
            throw failure;
        }
        if (discardAfter) {
            // a ROLLBACK (TO SAVEPOINT) sent as SQL undid the waiting entries' writes; one the database refused did not
            connection.transaction.discardJournal();
        }
        return result;
    }

    // ---- the steps of a write ----

    /** Refuses a write after the run tripped or ended, a TRUNCATE or DROP under a limit, an implicit commit. */
    private void check(RunContext run, List<SqlStatementInfo> statements) throws SQLException {
        for (int i = 0; i < statements.size(); i++) { // no iterator: this runs on every write
            SqlStatementInfo statement = statements.get(i);
            run.checkBeforeWrite(statement);
            refuseImplicitCommit(run, statement);
        }
    }

    private void refuseImplicitCommit(RunContext run, SqlStatementInfo statement) throws SQLException {
        if (!statement.kind().isSchemaChange() || !run.sandboxed()) {
            return;
        }
        Dialect dialect = connection.owner().dialect(connection.delegate);
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

    /** Picks the transaction the write runs in, and opens it where it is the write's own. */
    private WriteTransaction begin(RunContext run, List<SqlStatementInfo> statements) throws SQLException {
        if (run.sandboxed()) {
            connection.enlistSandbox(run).beforeWrite(statements);
            return WriteTransaction.SANDBOX;
        }
        if (autoCommitRun != run) {
            // the state is read from the driver once per run; it changes only through this connection after that
            autoCommitRun = run;
            connection.forgetAutoCommit();
        }
        if (connection.delegateAutoCommit()) {
            if (!run.needsStatementTransactions()) {
                return WriteTransaction.AUTO;
            }
            connection.setDelegateAutoCommit(false);
            return WriteTransaction.STATEMENT;
        }
        connection.runWroteInJobTransaction();
        if (jobTransactionRun != run) {
            jobTransactionRun = run;
            run.enlist(connection);
        }
        return WriteTransaction.JOB;
    }

    /** In a journaling run, the journal reads the rows the write will change (and may run the write itself). */
    private <R> ConnectionJournal.@Nullable Capture capture(WriteRequest<R> request) throws SQLException {
        if (request.steps == null || request.run.journal() == null) {
            return null;
        }
        return connection
                .transaction
                .journal()
                .before(
                        connection.delegate,
                        request.run,
                        new JournalWrite(
                                request.steps, request.keys != null, request.job, request.journalRuns != null));
    }

    /**
     * What a write that failed throws, once {@link #abort} settled it: the trip its partial count caused, a sandbox's
     * lock wait on the run itself, or the driver's failure.
     */
    private SQLException failed(
            WriteRequest<?> request, WriteTransaction transaction, @Nullable Trip partial, SQLException sql)
            throws SQLException {
        RunContext run = request.run;
        Sandbox sandbox = connection.sandbox();
        if (transaction == WriteTransaction.SANDBOX && partial == null && sandbox != null) {
            sandbox.undoFailedAutoCommitWrite(sql);
        }
        if (partial != null) {
            return withCause(run.exception(partial, rolledBack(transaction)), sql);
        }
        if (transaction == WriteTransaction.SANDBOX
                && sandbox != null
                && connection.owner().dialect(connection.delegate).isLockTimeout(sql)) {
            return sandbox.lockWaitFailure(request.firstSql(), sql);
        }
        return sql;
    }

    /** Settles a write that failed or tripped, whose execution had counted {@code rows}. */
    private void abort(RunContext run, WriteTransaction transaction, @Nullable Trip trip, long rows)
            throws SQLException {
        switch (transaction) {
            case STATEMENT -> {
                run.rolledBack(rows);
                connection.transaction.discardJournal();
                try {
                    connection.delegate.rollback();
                } finally {
                    connection.setDelegateAutoCommit(true);
                }
            }
            case SANDBOX, JOB -> {
                connection.transaction.rows.add(run, rows); // a batch's entries that ran stay in the transaction
                if (trip != null) {
                    connection.rollbackAfterTrip();
                }
            }
            case AUTO -> run.committed(rows); // the driver committed what ran
        }
    }

    /** A write within the limits: its own transaction commits; the job's and the sandbox's keep its rows. */
    private void settle(RunContext run, WriteTransaction transaction, long rows) throws SQLException {
        switch (transaction) {
            case STATEMENT -> {
                try {
                    connection.transaction.flushJournal();
                    connection.delegate.commit();
                } catch (SQLException | RuntimeException failure) {
                    connection.transaction.discardJournal();
                    run.rolledBack(rows);
                    connection.delegate.rollback();
                    throw failure;
                } finally {
                    connection.setDelegateAutoCommit(true);
                }
                run.committed(rows);
            }
            case AUTO -> run.committed(rows);
            case SANDBOX, JOB -> connection.transaction.rows.add(run, rows);
        }
    }

    private static SQLException withCause(SQLException exception, SQLException cause) {
        exception.initCause(cause);
        return exception;
    }

    /** What a trip's message says the guard rolled back. */
    static String rolledBack(WriteTransaction transaction) {
        return switch (transaction) {
            case STATEMENT -> "The statement was rolled back; later writes of this run are refused.";
            case SANDBOX -> "The run's writes were rolled back; later writes of this run are refused.";
            default -> "The transaction was rolled back; later writes and commits of this run are refused.";
        };
    }
}
