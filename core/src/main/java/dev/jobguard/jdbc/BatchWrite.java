package dev.jobguard.jdbc;

import dev.jobguard.StatementRefusedException;
import dev.jobguard.Trip;
import dev.jobguard.internal.journal.JournalStep;
import dev.jobguard.internal.journal.ParameterSource;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.ClassifiedSql;
import dev.jobguard.internal.sql.SqlStatementInfo;
import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A batch of a guarded statement ({@code executeBatch}, {@code executeLargeBatch}) as one write: the counted statement
 * of each entry, the preflight of each entry before any runs, what the journal reads first, and the count of each entry
 * from the driver's counts (also of the entries that ran before it failed). The journal may run the entries itself,
 * one by one, unless the job asked for generated keys.
 *
 * @param <R> the batch's result as the job sees it: {@code int[]} or {@code long[]}
 */
final class BatchWrite<R> implements WriteRequest.Counter<R> {

    /** A batch's result as the job sees it, and its counts. */
    interface Result<R> {
        Result<int[]> INT = new Result<>() {
            @Override
            public long[] counts(int[] result) {
                return toLong(result);
            }

            @Override
            public int[] of(long[] counts) {
                return toInt(counts);
            }
        };
        Result<long[]> LONG = new Result<>() {
            @Override
            public long[] counts(long[] result) {
                return result;
            }

            @Override
            public long[] of(long[] counts) {
                return counts;
            }
        };

        long[] counts(R result);

        /** The result of a batch whose entries the journal ran one by one. */
        R of(long[] counts);
    }

    private final RunContext run;
    private final List<SqlStatementInfo> perEntry;
    private final List<SqlStatementInfo> unreported;
    private final Result<R> result;

    /**
     * @param perEntry the counted statement of each entry (null: an entry the guard does not count)
     * @param unreported the later statements of entries of several statements, whose rows the driver does not report
     */
    private BatchWrite(
            RunContext run, List<SqlStatementInfo> perEntry, List<SqlStatementInfo> unreported, Result<R> result) {
        this.run = run;
        this.perEntry = perEntry;
        this.unreported = unreported;
        this.result = result;
    }

    /**
     * Executes a batch of {@code statement} in a run; entry i ran {@code entries.get(i)}.
     *
     * @param result the batch's result as the job sees it, and its counts
     */
    static <R> R execute(
            GuardedStatement statement,
            RunContext run,
            List<ClassifiedSql> entries,
            SqlCall<R> execute,
            Result<R> result)
            throws SQLException {
        List<SqlStatementInfo> perEntry = new ArrayList<>(entries.size());
        List<SqlStatementInfo> counted = new ArrayList<>();
        // an entry of several statements (MySQL/MariaDB run them all): the driver reports one count per entry, so
        // the rows of its later statements are unknown
        List<SqlStatementInfo> unreported = new ArrayList<>();
        for (ClassifiedSql entry : entries) {
            List<SqlStatementInfo> entryCounted = statement.counted(run, entry);
            perEntry.add(entryCounted.isEmpty() ? null : entryCounted.get(0));
            for (int i = 0; i < entryCounted.size(); i++) {
                if (!counted.contains(entryCounted.get(i))) {
                    counted.add(entryCounted.get(i));
                }
                if (i > 0) {
                    unreported.add(entryCounted.get(i));
                }
            }
        }
        if (counted.isEmpty()) {
            for (ClassifiedSql entry : entries) {
                statement.connection.writes().beforeUncounted(run, entry);
            }
            return statement.connection.writes().uncounted(run, entries.isEmpty() ? null : entries.get(0), execute);
        }
        for (SqlStatementInfo each : counted) {
            if (each.returnsRows()) {
                // pgjdbc answers 0 for every entry of a batch whose statement returns rows, whatever it changed
                throw new StatementRefusedException("jobguard: job '" + run.jobName() + "': refused a batch of "
                        + each.kind() + " on " + each.table() + " that returns rows (RETURNING): drivers"
                        + " do not report how many rows such entries changed (PostgreSQL answers 0), so the guard"
                        + " could not count them. Fix: drop RETURNING from the batch, or execute the statement"
                        + " once per entry with executeQuery. Statement: " + each.sql());
            }
        }
        List<ParameterSource> parameters = statement.batchParameters();
        try {
            statement.connection.preflight().countBatch(run, perEntry, parameters, statement.delegate);
        } catch (SQLException refused) {
            statement.delegate.clearBatch(); // the batch did not run: none of its entries may run later
            throw refused;
        }
        WriteRequest<R> write = WriteRequest.of(
                        run, counted, execute, new BatchWrite<>(run, perEntry, unreported, result))
                .journaled(
                        run.journal() == null ? null : steps(perEntry, parameters),
                        statement.keys(run, statement.journalKeys()),
                        statement.delegate);
        // the journal may run the batch's entries itself, one at a time, unless the job asked for generated keys
        return statement
                .connection
                .writes()
                .execute(
                        write.keys == null
                                ? write.journalMayRun(new WriteRequest.JournalRuns<>(result::of, true))
                                : write);
    }

    @Override
    public @Nullable Trip count(R batchResult) {
        return recordUnreported(recordBatch(result.counts(batchResult)));
    }

    @Override
    public @Nullable Trip countPartial(BatchUpdateException failure) {
        return recordUnreported(recordBatch(partialCounts(failure)));
    }

    /** What the journal reads before the batch runs: each entry's statement with its parameters (a prepared batch). */
    private static List<JournalStep> steps(
            List<SqlStatementInfo> perEntry, @Nullable List<ParameterSource> parameters) {
        List<JournalStep> steps = new ArrayList<>();
        if (parameters == null) {
            for (SqlStatementInfo entry : perEntry) {
                if (entry != null) {
                    steps.add(new JournalStep(entry, null));
                }
            }
        } else if (perEntry.get(0) != null) {
            for (ParameterSource entry : parameters) {
                steps.add(new JournalStep(perEntry.get(0), entry));
            }
        }
        return steps;
    }

    /** Records statements whose rows the driver did not report; returns the first trip, {@code first} if set. */
    private @Nullable Trip recordUnreported(@Nullable Trip first) {
        for (SqlStatementInfo statement : unreported) {
            Trip trip = run.recordUnreported(statement);
            if (first == null) {
                first = trip;
            }
        }
        return first;
    }

    /**
     * Counts each entry of a batch: {@link Statement#SUCCESS_NO_INFO} as one row, with the total marked a lower
     * bound unless the entry is a statement that changes exactly one row ({@link SqlStatementInfo#changesOneRow()}:
     * pgjdbc's {@code reWriteBatchedInserts} answers so for each single-row INSERT), {@link Statement#EXECUTE_FAILED}
     * as none. A failed batch of several entries that reports every one as
     * failed told nothing per entry (PostgreSQL, MariaDB; MariaDB with server-side prepared statements also for
     * entries that took effect): its entries count as none with the total marked a lower bound. Entries past the SQL
     * known (a driver that reports one count per row of a rewritten batch) count against the last known statement.
     */
    private @Nullable Trip recordBatch(long[] counts) {
        boolean noneReported = counts.length > 1;
        for (long count : counts) {
            noneReported &= count == Statement.EXECUTE_FAILED;
        }
        Trip first = null;
        for (int i = 0; i < counts.length; i++) {
            SqlStatementInfo statement = perEntry.get(Math.min(i, perEntry.size() - 1));
            if (statement == null || (counts[i] == Statement.EXECUTE_FAILED && !noneReported)) {
                continue;
            }
            boolean noInfo = counts[i] == Statement.SUCCESS_NO_INFO;
            boolean unknown = (noInfo && !statement.changesOneRow()) || noneReported;
            Trip trip = run.record(statement, noneReported ? 0 : noInfo ? 1 : counts[i], unknown);
            if (first == null) {
                first = trip;
            }
        }
        return first;
    }

    /** The update counts a failed batch reported, empty when none. */
    static long[] partialCounts(BatchUpdateException failure) {
        long[] partial = failure.getLargeUpdateCounts();
        if (partial == null) {
            int[] small = failure.getUpdateCounts();
            partial = small == null ? new long[0] : toLong(small);
        }
        return partial;
    }

    private static int[] toInt(long[] counts) {
        int[] result = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            result[i] = (int) Math.min(Integer.MAX_VALUE, counts[i]);
        }
        return result;
    }

    private static long[] toLong(int[] counts) {
        long[] result = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            result[i] = counts[i];
        }
        return result;
    }
}
