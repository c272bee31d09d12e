package dev.jobguard.jdbc;

import dev.jobguard.Operation;
import dev.jobguard.StatementRefusedException;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.ClassifiedSql;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.internal.sql.StatementKind;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.rowset.CachedRowSet;
import org.jspecify.annotations.Nullable;

/**
 * {@code executeQuery} in a guarded run: a read runs as it is; a write returning rows (RETURNING) is counted by the
 * rows it returns, read before it can commit; a procedure called through it counts nothing; a write without RETURNING
 * is refused before it runs, since the driver would not report its count.
 */
final class QueryWrite {

    private QueryWrite() {}

    /** Runs the query of {@code statement} in {@code run}, counting what it wrote. */
    static ResultSet execute(GuardedStatement statement, RunContext run, ClassifiedSql sql, SqlCall<ResultSet> query)
            throws SQLException {
        List<SqlStatementInfo> counted = statement.counted(run, sql);
        if (counted.isEmpty()) {
            statement.connection.writes().beforeUncounted(run, sql);
            return statement.connection.writes().uncounted(run, sql, query);
        }
        if (sql.isMultiStatement()) {
            throw MultiStatementWrite.refused(run, sql);
        }
        SqlStatementInfo info = counted.get(0);
        if (!info.returnsRows() && info.kind().operation() != Operation.OTHER) {
            throw writeThroughQueryRefused(run, info);
        }
        if (!info.returnsRows()) {
            // a procedure or function called through executeQuery: its rows are not changes; anything else the guard
            // could not classify (a statement the database runs and answers with rows) changed an unknown count
            boolean call = info.kind() == StatementKind.CALL;
            return statement
                    .connection
                    .writes()
                    .execute(WriteRequest.<ResultSet>of(
                                    run,
                                    counted,
                                    query,
                                    rows -> call ? run.record(info, 0, false) : run.recordUnreported(info))
                            .journaled(statement.steps(run, info), null, statement.delegate));
        }
        boolean rowsAreTheChanges = info.returnsChangedRows();
        return statement
                .connection
                .writes()
                .execute(WriteRequest.<CachedRowSet>of(
                                run,
                                counted,
                                () -> Execution.readAll(query.call()),
                                rows -> rowsAreTheChanges
                                        ? run.record(info, rows.size(), false)
                                        : run.recordUnreported(info))
                        .journaled(statement.steps(run, info), null, statement.delegate));
    }

    /**
     * An INSERT, UPDATE, DELETE or MERGE without RETURNING sent through {@code executeQuery}: MariaDB runs it and
     * returns an empty result, pgjdbc runs it and then throws "No results were returned by the query"; neither hands
     * over its count, so it is refused before it runs.
     */
    private static StatementRefusedException writeThroughQueryRefused(RunContext run, SqlStatementInfo statement) {
        return new StatementRefusedException("jobguard: job '" + run.jobName() + "': refused " + statement.kind()
                + " on " + statement.table() + " sent through executeQuery without RETURNING: the driver runs it"
                + " but does not report how many rows it changed, so the guard could not count them. Fix: use"
                + " executeUpdate (or add RETURNING). Statement: " + statement.sql());
    }

    /**
     * A result set of a statement created {@code CONCUR_UPDATABLE}, whose {@code updateRow}, {@code insertRow} and
     * {@code deleteRow} write rows no update count reports: inside a guarded run they are refused before they reach
     * the driver (also on a result set opened before the run). Other result sets, and the rows a write returned
     * ({@code returned}, read already), are returned as they are.
     */
    static ResultSet rowChangesRefused(GuardedStatement statement, ResultSet resultSet, @Nullable ResultSet returned)
            throws SQLException {
        if (resultSet == null || (resultSet == returned && resultSet instanceof CachedRowSet)) {
            return resultSet;
        }
        int known = statement.concurrency;
        if (known == 0) {
            known = statement.delegate.getResultSetConcurrency() == ResultSet.CONCUR_UPDATABLE ? 2 : 1;
            statement.concurrency = known;
        }
        if (known == 1) {
            return resultSet;
        }
        return GuardedProxies.rowChangesRefused(resultSet, statement);
    }
}
