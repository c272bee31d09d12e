package dev.jobguard.jdbc;

import dev.jobguard.Trip;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.SqlStatementInfo;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.Objects;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetFactory;
import javax.sql.rowset.RowSetProvider;
import org.jspecify.annotations.Nullable;

/**
 * What the job reads back of one execution of a {@link GuardedStatement} that the guard read before it: counts it
 * replays, rows a write returned, generated keys the journal read, and the write whose later results are still counted.
 * Lives for one execution: the statement drops it when the next execution starts. An execution that leaves nothing to
 * hand back (the usual single write) has {@link #NONE}, which is never changed, so that it allocates nothing.
 */
final class Execution {

    private static volatile @Nullable RowSetFactory rowSetFactory;

    /** The execution of a statement that left nothing to hand back. */
    static final Execution NONE = new Execution();

    /** The write whose later results (of a multi-result CALL) are still counted as the job reads them. */
    private @Nullable SqlStatementInfo openWrite;
    /** Update counts counted up front and handed to the job one by one (several statements, the journal's run). */
    private long @Nullable [] replayedCounts;
    /** The next of {@link #replayedCounts} the job reads. */
    private int replayIndex;
    /** The rows a write returned (RETURNING), read up front to count them and handed to the job. */
    private @Nullable ResultSet returnedRows;
    /** The generated keys the journal read for itself, handed to the job's getGeneratedKeys. */
    private @Nullable CachedRowSet generatedKeys;

    /** The job reads these counts one by one instead of the driver's. */
    void replay(long[] counts) {
        replayedCounts = counts;
        replayIndex = 0;
        returnedRows = null;
    }

    boolean replaying() {
        return replayedCounts != null;
    }

    /** The replayed count the job reads now: -1 past the last. */
    long replayedCount() {
        long[] counts = Objects.requireNonNull(replayedCounts, "the job reads replayed counts only while replaying");
        return replayIndex < counts.length ? counts[replayIndex] : -1;
    }

    /** The job moved to the next result. */
    void nextResult() {
        if (replayedCounts != null) {
            replayIndex++;
        } else if (returnedRows != null) {
            returnedRows = null;
        }
    }

    @Nullable
    ResultSet returnedRows() {
        return returnedRows;
    }

    void returnedRows(ResultSet rows) {
        returnedRows = rows;
    }

    @Nullable
    CachedRowSet generatedKeys() {
        return generatedKeys;
    }

    void generatedKeys(CachedRowSet keys) {
        generatedKeys = keys;
    }

    /** The write's later results are counted as the job reads them ({@link #laterResult}), until none is left. */
    void openWrite(SqlStatementInfo write) {
        openWrite = write;
    }

    /** The driver's update count of the current result: -1 when there is none. */
    static long updateCount(Statement statement) throws SQLException {
        try {
            return statement.getLargeUpdateCount();
        } catch (SQLFeatureNotSupportedException | UnsupportedOperationException notLarge) {
            return statement.getUpdateCount();
        }
    }

    /** Reads a write's returned rows into memory, so they are counted before the write can commit. */
    static CachedRowSet readAll(ResultSet resultSet) throws SQLException {
        RowSetFactory factory = rowSetFactory;
        if (factory == null) {
            factory = RowSetProvider.newFactory();
            rowSetFactory = factory;
        }
        CachedRowSet rows = factory.createCachedRowSet();
        try (resultSet) {
            rows.populate(resultSet);
        }
        return rows;
    }

    /**
     * The job moved to a later result of the execution: one of a multi-result CALL is counted as the job reads it,
     * and a count that crosses a limit trips the run.
     *
     * @return {@code hasResultSet}
     */
    boolean laterResult(boolean hasResultSet, GuardedStatement statement) throws SQLException {
        RunContext run = RunContext.current();
        SqlStatementInfo write = openWrite;
        if (run == null || write == null || hasResultSet) {
            return hasResultSet;
        }
        long rows = updateCount(statement.delegate);
        if (rows == -1) {
            openWrite = null;
            return false;
        }
        Trip trip = run.record(write, rows, false);
        if (trip != null) {
            statement.connection.writes().tripAfterWrite(run, trip);
        }
        return false;
    }
}
