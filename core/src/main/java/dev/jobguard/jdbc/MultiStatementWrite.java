package dev.jobguard.jdbc;

import dev.jobguard.StatementRefusedException;
import dev.jobguard.Trip;
import dev.jobguard.internal.journal.JournalStep;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.ClassifiedSql;
import dev.jobguard.internal.sql.SqlStatementInfo;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A string of several statements sent as one as a write: executed with every update count read up front, so that all
 * of them are counted before anything commits (the job then reads the same counts from its statement), counted one per
 * statement in order, a statement the driver reported no count for as unknown. Strings that mix queries and writes are
 * refused: their result sets could not be handed back after reading past them. Not journaled: a gap per statement.
 */
final class MultiStatementWrite implements WriteRequest.Counter<long[]> {

    private final RunContext run;
    private final List<SqlStatementInfo> all;
    private final List<SqlStatementInfo> counted;

    /**
     * @param all every statement of the string, in order
     * @param counted those the guard counts
     */
    private MultiStatementWrite(RunContext run, List<SqlStatementInfo> all, List<SqlStatementInfo> counted) {
        this.run = run;
        this.all = all;
        this.counted = counted;
    }

    /** Executes the string {@code sql} of {@code statement} in a run; returns the update counts, in order. */
    static long[] execute(GuardedStatement statement, RunContext run, ClassifiedSql sql, SqlCall<Boolean> execute)
            throws SQLException {
        for (SqlStatementInfo each : sql.statements()) {
            if (each.returnsRows()) {
                throw refused(run, sql);
            }
        }
        List<SqlStatementInfo> counted = statement.counted(run, sql);
        List<JournalStep> steps = null;
        if (run.journal() != null) {
            steps = new ArrayList<>();
            for (SqlStatementInfo each : counted) {
                steps.add(JournalStep.gap(
                        each, "a string of several statements is not journaled: send them one at a time"));
            }
        }
        return statement
                .connection
                .writes()
                .execute(WriteRequest.of(
                                run,
                                counted,
                                () -> drainCounts(statement.delegate, execute.call()),
                                new MultiStatementWrite(run, sql.statements(), counted))
                        .journaled(steps, null, statement.delegate));
    }

    private static long[] drainCounts(Statement delegate, boolean hasResultSet) throws SQLException {
        List<Long> counts = new ArrayList<>();
        boolean resultSet = hasResultSet;
        while (true) {
            if (!resultSet) {
                long count = Execution.updateCount(delegate);
                if (count == -1) {
                    break;
                }
                counts.add(count);
            }
            resultSet = delegate.getMoreResults();
        }
        return counts.stream().mapToLong(Long::longValue).toArray();
    }

    /** Refuses a string of several statements whose results could not all be read up front. */
    static StatementRefusedException refused(RunContext run, ClassifiedSql sql) {
        return new StatementRefusedException("jobguard: job '" + run.jobName()
                + "': refused a string of several statements that mixes queries and writes (or a write returning"
                + " rows); the guard could not count its writes before they commit. Send the statements one at a"
                + " time. Statements: " + sql.statements().size() + ", first: "
                + sql.first().sql());
    }

    @Override
    public @Nullable Trip count(long[] results) {
        Trip first = null;
        for (int i = 0; i < Math.max(results.length, all.size()); i++) {
            SqlStatementInfo statement = all.get(Math.min(i, all.size() - 1));
            if (!counted.contains(statement)) {
                continue;
            }
            Trip trip = i < results.length ? run.record(statement, results[i], false) : run.recordUnreported(statement);
            if (first == null) {
                first = trip;
            }
        }
        return first;
    }

    /**
     * A later statement of the string failed after earlier ones ran (MySQL/MariaDB run them one by one): the driver
     * reports no count for those, so their rows are unknown and may stay in the job's transaction.
     */
    @Override
    public @Nullable Trip countFailure(SQLException failure) {
        return run.recordUnreported(counted.get(0));
    }
}
