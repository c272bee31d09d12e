package dev.jobguard.jdbc;

import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.ClassifiedSql;
import dev.jobguard.internal.sql.SqlStatementInfo;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A prepared statement of a {@link GuardedConnection}: its executions are counted as {@link GuardedStatement}'s are,
 * its SQL classified once, on its first execution in a run, and whether it may be preflighted worked out once per run.
 * Its setters, which record the parameters for the journal and the preflight, are {@link RecordingPreparedStatement}'s.
 */
class GuardedPreparedStatement extends RecordingPreparedStatement {

    private final String sql;
    private @Nullable ClassifiedSql classified;
    // created once: a statement executed many times in a run allocates no call objects per execution
    private final Update update;
    private final Update largeUpdate;
    private final SqlCall<Boolean> executeCall;
    private @Nullable RunContext countedFor;
    /** The run {@link #preflightable} was worked out for. */
    private @Nullable RunContext preflightFor;
    /** Whether this statement's SQL may be preflighted. */
    private boolean preflightable;

    private @Nullable List<SqlStatementInfo> counted;
    /**
     * The request of this statement's {@code executeUpdate} in the run it names, once an execution in that run went
     * the usual way: nothing that decided so changes within a run, so later executions go straight to {@link
     * WriteExecutor#countedUpdate}.
     */
    private @Nullable WriteRequest<Long> countedUpdate;
    /** Whether the driver returns generated keys the journal reads. */
    private final boolean journalKeys;

    GuardedPreparedStatement(GuardedConnection connection, PreparedStatement delegate, String sql) {
        this(connection, delegate, sql, false, false);
    }

    /**
     * @param journalKeys the statement was prepared with generated keys the journal reads (by the job, or for the
     *     journal)
     * @param jobKeys the job prepared it with generated keys or returned columns: the journal must not run its writes
     *     for it (see {@link WriteRequest#journalMayRun})
     */
    GuardedPreparedStatement(
            GuardedConnection connection,
            PreparedStatement delegate,
            String sql,
            boolean journalKeys,
            boolean jobKeys) {
        super(connection, delegate);
        this.sql = sql;
        RunContext run = RunContext.current();
        // the journal and the preflight replay the job's parameters on their reads: kept only for runs that may need
        // them
        boolean preflightNeedsParameters = run != null
                && run.enforcing()
                && run.policy().preflight()
                && run.limits().any();
        if (run != null && preflightNeedsParameters) {
            preflightable = connection.preflight().mayPreflight(run, sql);
            preflightFor = run;
        }
        if (run != null && (run.journal() != null || (preflightNeedsParameters && preflightable))) {
            keepParameters();
        }
        this.journalKeys = journalKeys;
        this.executeCall = delegate::execute;
        this.update = new Update(() -> (long) delegate.executeUpdate(), executeCall, !jobKeys, journalKeys);
        this.largeUpdate = new Update(delegate::executeLargeUpdate, executeCall, !jobKeys, journalKeys);
    }

    private ClassifiedSql classified() {
        ClassifiedSql known = classified;
        if (known == null) {
            known = connection.classifier().classify(sql);
            classified = known;
        }
        return known;
    }

    /** The same SQL every time: what is counted changes only with the run (its ignored tables). */
    @Override
    @SuppressWarnings(
            "ReferenceEquality") // the classification this statement cached, and the run it was worked out for
    List<SqlStatementInfo> counted(RunContext run, ClassifiedSql sql) {
        if (sql != classified) {
            return super.counted(run, sql);
        }
        List<SqlStatementInfo> known = counted;
        if (known == null || countedFor != run) {
            known = super.counted(run, sql);
            counted = known;
            countedFor = run;
        }
        return known;
    }

    /**
     * {@inheritDoc} Its SQL never changes: whether it can be preflighted at all (not when it pins the primary key, the
     * usual single-row write) is worked out once per run, so such a write pays nothing per execution.
     */
    @Override
    @Nullable
    FoldedUpdate preflight(RunContext run, SqlStatementInfo statement, @Nullable Update update) throws SQLException {
        if (classified != null && classified.statements().contains(statement)) {
            if (preflightFor != run) {
                preflightable = connection.preflight().mayPreflight(run, sql);
                preflightFor = run;
            }
            if (!preflightable) {
                return null;
            }
        }
        return super.preflight(run, statement, update);
    }

    /**
     * {@inheritDoc} Kept for {@code executeUpdate}, when the preflight never counts this SQL first in the run (it cannot, or the run does not preflight): what took it this way (the statement, what the
     * run counts and ignores, its journal, whether it returns rows) is the same on every execution in the run.
     */
    @Override
    @SuppressWarnings("ReferenceEquality") // the call objects of this statement
    void countedOnly(WriteRequest<Long> request, Update calls) {
        if (calls == update
                && preflightFor == request.run
                && (!preflightable || !Preflight.preflighted(request.run))
                && request.statements.size() == 1) {
            countedUpdate = request;
        }
    }

    @Override
    boolean journalKeys() {
        return journalKeys;
    }

    @Override
    public ResultSet executeQuery() throws SQLException {
        if (RunContext.current() == null) {
            return rowChangesRefused(ps.executeQuery());
        }
        return rowChangesRefused(query(classified(), ps::executeQuery));
    }

    @Override
    public int executeUpdate() throws SQLException {
        RunContext run = RunContext.current();
        if (run == null) {
            return ps.executeUpdate();
        }
        WriteRequest<Long> known = countedUpdate;
        if (known != null && known.run == run) {
            newExecution();
            return (int) connection.writes().countedUpdate(known, ps);
        }
        return (int) update(run, classified(), update);
    }

    @Override
    public long executeLargeUpdate() throws SQLException {
        RunContext run = RunContext.current();
        if (run == null) {
            return ps.executeLargeUpdate();
        }
        return update(run, classified(), largeUpdate);
    }

    @Override
    public boolean execute() throws SQLException {
        if (RunContext.current() == null) {
            return ps.execute();
        }
        return execute(classified(), executeCall);
    }

    @Override
    public int[] executeBatch() throws SQLException {
        if (RunContext.current() == null) {
            return ps.executeBatch();
        }
        return batch(List.of(classified()), ps::executeBatch, BatchWrite.Result.INT);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        if (RunContext.current() == null) {
            return ps.executeLargeBatch();
        }
        return batch(List.of(classified()), ps::executeLargeBatch, BatchWrite.Result.LONG);
    }
}
