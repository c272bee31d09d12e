package dev.jobguard.jdbc;

import dev.jobguard.Trip;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.journal.JournalStep;
import dev.jobguard.journal.ParameterSource;
import java.sql.BatchUpdateException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Counts a batch ({@code executeBatch}, {@code executeLargeBatch}) from the driver's count of each entry, and the rows
 * of its entries that ran before it failed.
 *
 * @param <R> the batch's result as the job sees it: {@code int[]} or {@code long[]}
 */
final class BatchCounter<R> implements WriteRequest.Counter<R> {

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
    BatchCounter(RunContext run, List<SqlStatementInfo> perEntry, List<SqlStatementInfo> unreported, Result<R> result) {
        this.run = run;
        this.perEntry = perEntry;
        this.unreported = unreported;
        this.result = result;
    }

    @Override
    public Trip count(R batchResult) {
        return recordUnreported(recordBatch(result.counts(batchResult)));
    }

    @Override
    public Trip countPartial(BatchUpdateException failure) {
        return recordUnreported(recordBatch(partialCounts(failure)));
    }

    /** What the journal reads before the batch runs: each entry's statement with its parameters (a prepared batch). */
    static List<JournalStep> steps(List<SqlStatementInfo> perEntry, List<ParameterSource> parameters) {
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
    private Trip recordUnreported(Trip first) {
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
    private Trip recordBatch(long[] counts) {
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
