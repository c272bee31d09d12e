package dev.jobguard.jdbc;

import dev.jobguard.Trip;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.SqlStatementInfo;
import java.sql.SQLException;
import java.util.List;

/**
 * Counts a string of several statements from the update counts read up front, one per statement in order; a statement
 * the driver reported no count for is counted as unknown.
 */
final class MultiStatementCounter implements WriteRequest.Counter<long[]> {

    private final RunContext run;
    private final List<SqlStatementInfo> all;
    private final List<SqlStatementInfo> counted;

    /**
     * @param all every statement of the string, in order
     * @param counted those the guard counts
     */
    MultiStatementCounter(RunContext run, List<SqlStatementInfo> all, List<SqlStatementInfo> counted) {
        this.run = run;
        this.all = all;
        this.counted = counted;
    }

    @Override
    public Trip count(long[] results) {
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
    public Trip countFailure(SQLException failure) {
        return run.recordUnreported(counted.get(0));
    }
}
