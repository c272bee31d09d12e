package dev.jobguard.jdbc;

import dev.jobguard.Trip;
import dev.jobguard.internal.journal.ParameterSource;
import dev.jobguard.internal.journal.RowCountQuery;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.run.RunLimits;
import dev.jobguard.internal.sql.ClassifiedSql;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.internal.sql.StatementKind;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The preflight of a guarded connection: before an UPDATE, DELETE, INSERT ... SELECT or MERGE of an enforcing or dry
 * run is sent, where a limit in force could be crossed by it, counts the rows it would change on the same connection
 * and transaction ({@link RowCountQuery}) and trips the run before the statement runs when they are more than the
 * limits leave.
 */
final class Preflight {

    private final GuardedConnection connection;

    Preflight(GuardedConnection connection) {
        this.connection = connection;
    }

    /**
     * The preflight: before an UPDATE, DELETE, INSERT ... SELECT or MERGE of an enforcing or dry run runs, where a limit in force could be
     * crossed by it, counts the rows it would change, up to what the tightest limit leaves plus one, with its WHERE
     * read as a SELECT on this connection. More rows match than are left: the run trips before the statement is sent,
     * and the write's transaction is rolled back as for any trip. Skipped without a limit in reach, for a WHERE that
     * pins the primary key, and where the statement's rows cannot be read first (counted after it ran, as always:
     * that count stays the guarantee, rows may change between the two).
     */
    void count(RunContext run, SqlStatementInfo statement, @Nullable ParameterSource parameters, Statement job)
            throws SQLException {
        if (preflighted(run)) {
            countEntry(run, statement, parameters, job, Pending.NONE);
        }
    }

    /**
     * The preflight of an update whose job asked for its count alone: as {@link #count}, except that where the
     * database works the count out once before the statement reads a row ({@link
     * dev.jobguard.internal.dialect.Dialect#foldsPreflightCount}) and the statement's parts are the whole of it, the
     * count rides in the statement itself (one round trip instead of two), which the guard then runs instead of the
     * job's statement.
     *
     * @return the write to run instead of the job's statement, or null: counted first (or needing no count), the
     *     job's statement runs
     */
    @Nullable
    FoldedUpdate countOrFold(Write write, SqlCall<Long> jobUpdate) throws SQLException {
        if (!preflighted(write.run())) {
            return null;
        }
        Counting counting = counting(write.run(), write.statement(), write.parameters(), Pending.NONE);
        if (counting == null) {
            return null;
        }
        if (counting.query().canFold(write.parameters())
                && connection.owner().dialect(connection.delegate).foldsPreflightCount()) {
            return new FoldedUpdate(this, write, counting, jobUpdate);
        }
        count(write.run(), write.statement(), write.parameters(), write.job(), counting);
        return null;
    }

    /**
     * A write about to run: its run, its counted statement, its parameters (null for plain SQL) and the job's driver
     * statement, whose query timeout the preflight keeps.
     */
    record Write(
            RunContext run,
            SqlStatementInfo statement,
            @Nullable ParameterSource parameters,
            Statement job) {}

    /**
     * The preflight of a batch, entry by entry before it runs: each entry's rows are counted against what the limits
     * leave after the rows the entries before it would change. An entry that pins the primary key costs nothing (it
     * is not counted first).
     *
     * @param entries the counted statement of each entry (null: an entry the guard does not count); for a prepared
     *     batch, its one statement
     * @param parameters each entry's parameters (a prepared batch), or null (a batch of SQL texts)
     */
    void countBatch(
            RunContext run, List<SqlStatementInfo> entries, @Nullable List<ParameterSource> parameters, Statement job)
            throws SQLException {
        if (!preflighted(run)) {
            return;
        }
        long pendingTotal = 0;
        Map<String, Long> pendingByTable = new HashMap<>();
        int count = parameters == null ? entries.size() : parameters.size();
        for (int i = 0; i < count; i++) {
            SqlStatementInfo statement = entries.get(parameters == null ? i : 0);
            if (statement == null) {
                continue;
            }
            String table = statement.table() == null ? "" : statement.table();
            long pendingTable = pendingByTable.getOrDefault(table, 0L);
            long matching = countEntry(
                    run,
                    statement,
                    parameters == null ? null : parameters.get(i),
                    job,
                    new Pending(pendingTotal, pendingTable, true));
            if (matching > 0) {
                pendingTotal += matching;
                pendingByTable.put(table, pendingTable + matching);
            }
        }
    }

    /** Whether the run counts writes first at all (the same for the whole run). */
    static boolean preflighted(RunContext run) {
        return run.enforcing() && run.policy().preflight();
    }

    /** What a batch's earlier entries match, in all and in the entry's table; none outside a batch. */
    record Pending(long total, long table, boolean batch) {
        static final Pending NONE = new Pending(0, 0, false);
    }

    /** The kinds of write the preflight counts first: those whose rows depend on what they match. */
    private static boolean mayChangeManyRows(StatementKind kind) {
        return kind == StatementKind.UPDATE
                || kind == StatementKind.DELETE
                || kind == StatementKind.INSERT
                || kind == StatementKind.MERGE;
    }

    /**
     * Counts the rows one statement (or batch entry) would change and trips before it runs when they are more than the
     * limits leave.
     *
     * @return the rows it matched (at most the rows left plus one), or 0 when it was not counted first
     */
    private long countEntry(
            RunContext run,
            SqlStatementInfo statement,
            @Nullable ParameterSource parameters,
            @Nullable Statement job,
            Pending pending)
            throws SQLException {
        Counting counting = counting(run, statement, parameters, pending);
        return counting == null ? 0 : count(run, statement, parameters, job, counting);
    }

    /** A count the preflight must make: its query, what the limits leave, and what a batch's earlier entries match. */
    record Counting(RowCountQuery query, long left, Pending pending) {}

    /** The count a statement needs before it runs, or null when it needs none (or cannot be counted first). */
    private @Nullable Counting counting(
            RunContext run, SqlStatementInfo statement, @Nullable ParameterSource parameters, Pending pending)
            throws SQLException {
        if (!mayChangeManyRows(statement.kind())) {
            return null;
        }
        long left = run.rowsLeft(statement, pending.total(), pending.table());
        if (left == RunLimits.NONE) {
            return null;
        }
        RowCountQuery query =
                connection.owner().journaling().rowCountQuery(connection.delegate, statement.sql(), statement.table());
        if (query == null) {
            String why = connection.owner().journaling().whyNotCountedFirst(statement.sql(), statement.table());
            if (why != null) {
                run.notPreflighted(statement, why);
            }
            return null;
        }
        if (!query.canBind(parameters)) {
            run.notPreflighted(statement, "a parameter it needs was bound before the run started or from a stream");
            return null;
        }
        if (!pending.batch() && query.mostRows(parameters) <= left) {
            // its WHERE bounds the table's key within what the limits leave: counting cannot change the answer (not
            // in a batch, whose later entries are checked against what its earlier ones match)
            return null;
        }
        return new Counting(query, left, pending);
    }

    /** Counts first: the rows matched, or the trip (thrown) when they are more than the limits leave. */
    private long count(
            RunContext run,
            SqlStatementInfo statement,
            @Nullable ParameterSource parameters,
            @Nullable Statement job,
            Counting counting)
            throws SQLException {
        long left = counting.left();
        long matching =
                counting.query().count(connection.delegate, parameters, left, job == null ? 0 : job.getQueryTimeout());
        if (matching <= left) {
            return matching;
        }
        Trip trip = refused(run, statement, matching, counting.pending());
        if (trip == null) {
            return matching;
        }
        String rolledBack = connection.writes().inOwnTransaction(run)
                ? " " + connection.writes().rollBackRefused()
                : "";
        throw run.exception(trip, refusal(matching, counting, "the statement did not run.") + rolledBack);
    }

    /** The trip of a statement matching more rows than the limits leave, or null when it is not one (OBSERVE). */
    static @Nullable Trip refused(RunContext run, SqlStatementInfo statement, long matching, Pending pending) {
        return run.refusedBeforeExecution(statement, matching, pending.total(), pending.table());
    }

    /** What a refusal's message says before what the guard rolled back. */
    static String refusal(long matching, Counting counting, String outcome) {
        return "Refused before execution: at least " + matching + " rows match, more than the " + counting.left()
                + " the limits leave" + (counting.pending().total() > 0 ? " after the batch's earlier entries" : "")
                + "; " + outcome;
    }

    /** The guarded connection's raw connection, on which the preflight's statements run. */
    Connection raw() {
        return connection.delegate;
    }

    /**
     * Whether a statement prepared in the run may be preflighted, so that its parameters must be kept: one UPDATE,
     * DELETE, INSERT or MERGE the guard counts and can count first (not one that pins the primary key, the usual
     * single-row write, which then records no parameters). Unknown (the table could not be read): yes.
     */
    boolean mayPreflight(RunContext run, String sql) {
        ClassifiedSql classified = connection.classifier().classify(sql);
        if (classified.statements().size() != 1) {
            return false;
        }
        SqlStatementInfo statement = classified.statements().get(0);
        if (!mayChangeManyRows(statement.kind())) {
            return false;
        }
        try {
            // a write the preflight cannot read first still goes through it, to be named in the report
            return connection
                                    .owner()
                                    .journaling()
                                    .rowCountQuery(connection.delegate, statement.sql(), statement.table())
                            != null
                    || connection.owner().journaling().whyNotCountedFirst(statement.sql(), statement.table()) != null;
        } catch (SQLException | RuntimeException unknown) {
            return true;
        }
    }
}
