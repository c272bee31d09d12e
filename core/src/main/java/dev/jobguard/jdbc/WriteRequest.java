package dev.jobguard.jdbc;

import dev.jobguard.Trip;
import dev.jobguard.internal.journal.JournalStep;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.SqlStatementInfo;
import java.sql.BatchUpdateException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * One write a guarded statement asks its connection to execute ({@link WriteExecutor#execute}): the statements it
 * counts, how it runs and how its result is counted; in a journaling run, what the journal reads first, the write's
 * generated keys, and whether the journal may run the write itself. Immutable: each {@code with} method returns a new
 * request.
 *
 * @param <R> the write's result as the job sees it (an update count, counts of a batch, whether a result set came)
 */
final class WriteRequest<R> {

    /** Counts what a write changed, from its result; returns the trip the rows caused, or null. */
    @FunctionalInterface
    interface Counter<R> {
        @Nullable
        Trip count(R result) throws SQLException;

        /** Counts the rows a failed batch had changed before it failed. */
        default @Nullable Trip countPartial(BatchUpdateException failure) {
            return null;
        }

        /**
         * Counts a write that failed in a transaction that goes on (the job's, a sandbox, or auto-commit), when part of
         * it may have taken effect before the failure (a string of several statements whose later one failed).
         */
        default @Nullable Trip countFailure(SQLException failure) {
            return null;
        }

        /** What the message of the trip this counter returned says before what the guard rolled back: why, if not plain. */
        default String tripDetail(Trip trip) {
            return "";
        }
    }

    /** Supplies the generated keys of a write that asked the driver for them. */
    @FunctionalInterface
    interface GeneratedKeys {
        ResultSet read() throws SQLException;
    }

    /**
     * The journal may run the write itself (the job's statement then does not run): how the write's result is made from
     * the counts of the journal's execution, and whether it was a batch, whose entries are then cleared.
     */
    record JournalRuns<R>(Function<long[], R> result, boolean batch) {
        static final JournalRuns<Long> UPDATE = new JournalRuns<>(counts -> counts[0], false);
    }

    final RunContext run;
    final List<SqlStatementInfo> statements;
    final SqlCall<R> execute;
    final Counter<R> counter;
    /** What the journal reads before the write; null when the run keeps no journal. */
    final @Nullable List<JournalStep> steps;
    /** The write's generated keys; null when it did not ask for them. */
    final @Nullable GeneratedKeys keys;
    /** The job's driver statement, whose query timeout the journal's reads keep; null when not journaled. */
    final @Nullable Statement job;
    /** Set when the journal may run the write itself; else null. */
    final @Nullable JournalRuns<R> journalRuns;

    private WriteRequest(
            RunContext run,
            List<SqlStatementInfo> statements,
            SqlCall<R> execute,
            Counter<R> counter,
            JournalPart<R> journaling) {
        this.run = run;
        this.statements = statements;
        this.execute = execute;
        this.counter = counter;
        this.steps = journaling.steps;
        this.keys = journaling.keys;
        this.job = journaling.job;
        this.journalRuns = journaling.runs;
    }

    /** What a journaling run adds to a write. */
    private record JournalPart<R>(
            @Nullable List<JournalStep> steps,
            @Nullable GeneratedKeys keys,
            @Nullable Statement job,
            @Nullable JournalRuns<R> runs) {}

    /** Not journaled. */
    private static final JournalPart<?> NONE = new JournalPart<>(null, null, null, null);

    /**
     * A write: checked first, run in the transaction its connection calls for, counted by {@code counter}, rolled back
     * (throwing) when it crosses a limit.
     *
     * @param statements the statements of the write that are counted (writes on tables the guard does not ignore)
     */
    @SuppressWarnings("unchecked") // NONE holds no R
    static <R> WriteRequest<R> of(
            RunContext run, List<SqlStatementInfo> statements, SqlCall<R> execute, Counter<R> counter) {
        return new WriteRequest<>(run, statements, execute, counter, (JournalPart<R>) NONE);
    }

    /**
     * This write in a journaling run: the rows the steps will change are read first, in the write's transaction, and
     * their entries join the journal once the write is counted.
     *
     * @param steps what to journal, or null when the run keeps no journal
     * @param keys the write's generated keys, or null when it did not ask for them
     * @param job the job's driver statement, whose query timeout the journal's reads keep
     */
    WriteRequest<R> journaled(@Nullable List<JournalStep> steps, @Nullable GeneratedKeys keys, Statement job) {
        return new WriteRequest<>(run, statements, execute, counter, new JournalPart<>(steps, keys, job, journalRuns));
    }

    /**
     * This write, which the journal may run itself, in one statement with its read (an UPDATE or DELETE on
     * PostgreSQL, an INSERT returning its keys on MariaDB), or entry by entry for a batch ({@code ConnectionJournal
     * #before}).
     */
    WriteRequest<R> journalMayRun(JournalRuns<R> runs) {
        return new WriteRequest<>(run, statements, execute, counter, new JournalPart<>(steps, keys, job, runs));
    }

    /** The first counted statement's SQL, for messages, or null. */
    @Nullable
    String firstSql() {
        return statements.isEmpty() ? null : statements.get(0).sql();
    }
}
