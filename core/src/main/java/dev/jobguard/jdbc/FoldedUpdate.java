package dev.jobguard.jdbc;

import dev.jobguard.Trip;
import dev.jobguard.internal.journal.ParameterSource;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.SqlStatementInfo;
import java.sql.SQLException;
import java.sql.Statement;
import org.jspecify.annotations.Nullable;

/**
 * An update whose preflight count rides in the statement itself ({@link Preflight#countOrFold}): the guard runs the
 * statement with the count as one more condition instead of the job's statement, which changes its rows when they are
 * within what the limits leave and none when more match. A result of 0 is then told apart by counting (rare: an
 * update that matched nothing, or a refusal); any other result is counted as the job's statement's would be, which
 * stays the guarantee. One object per execution; what {@link WriteExecutor} calls and counts.
 */
final class FoldedUpdate implements SqlCall<Long>, WriteRequest.Counter<Long> {

    private final Preflight preflight;
    private final RunContext run;
    private final SqlStatementInfo statement;
    private final Preflight.Counting counting;
    private final @Nullable ParameterSource parameters;
    private final Statement job;
    /** The job's own statement, run as written where a refusal does not trip the run. */
    private final SqlCall<Long> jobUpdate;
    /** The trip of a refusal, or null. */
    private @Nullable Trip refused;
    /** Rows found matching when the statement was refused. */
    private long refusedMatching;

    FoldedUpdate(Preflight preflight, Preflight.Write write, Preflight.Counting counting, SqlCall<Long> jobUpdate) {
        this.preflight = preflight;
        this.run = write.run();
        this.statement = write.statement();
        this.counting = counting;
        this.parameters = write.parameters();
        this.job = write.job();
        this.jobUpdate = jobUpdate;
    }

    /**
     * Runs the statement with its count folded in; the rows it changed. Nothing changed: counts whether more rows
     * match than the limits leave (a refusal, counted as a trip) or none did.
     */
    @Override
    public Long call() throws SQLException {
        long left = counting.left();
        long rows = counting.query().runFolded(preflight.raw(), parameters, left, job.getQueryTimeout());
        if (rows != 0) {
            return rows;
        }
        long matching = counting.query().count(preflight.raw(), parameters, left, job.getQueryTimeout());
        if (matching <= left) {
            return rows;
        }
        Trip trip = Preflight.refused(run, statement, matching, counting.pending());
        if (trip == null) {
            return jobUpdate.call(); // not a trip for this run: the statement runs as the job wrote it
        }
        refused = trip;
        refusedMatching = matching;
        return rows;
    }

    /** Counts what it changed, as the job's statement's result is; a refusal is the run's trip. */
    @Override
    public @Nullable Trip count(Long rows) throws SQLException {
        return refused != null ? refused : run.record(statement, rows, false);
    }

    @Override
    public String tripDetail(Trip trip) {
        return refused == null
                ? ""
                : Preflight.refusal(refusedMatching, counting, "the statement changed no row.") + " ";
    }
}
