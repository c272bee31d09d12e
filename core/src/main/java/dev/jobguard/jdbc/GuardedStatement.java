package dev.jobguard.jdbc;

import dev.jobguard.Trip;
import dev.jobguard.internal.journal.JournalStep;
import dev.jobguard.internal.journal.ParameterSource;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.ClassifiedSql;
import dev.jobguard.internal.sql.SqlParser;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.internal.sql.StatementKind;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.rowset.CachedRowSet;
import org.jspecify.annotations.Nullable;

/**
 * A statement of a {@link GuardedConnection}. Outside a guarded run every call goes straight to the driver. Inside
 * one, each write is counted through whichever method carries it: the update count of {@code executeUpdate}, the
 * results of {@code execute} (every result of a multi-statement string), each entry of a batch, the rows a
 * {@code RETURNING} query gives back. Each becomes a {@link WriteRequest} its connection's {@link WriteExecutor}
 * executes (a batch: {@link BatchWrite}; several statements in one string: {@link MultiStatementWrite}); what the job
 * reads back of an execution lives in one {@link Execution}.
 */
class GuardedStatement extends DelegatingStatement {

    final GuardedConnection connection;

    /** The SQL of {@link #addBatch(String)} calls since the last execution. */
    private final List<String> batch = new ArrayList<>();

    /** What the job reads back of the current (last) execution; replaced when the next one starts. */
    private Execution last = Execution.NONE;

    /** The last update's request when not journaled, reused while its run, statement and call stay. */
    private @Nullable WriteRequest<Long> updateRequest;

    private @Nullable SqlStatementInfo updateRequestStatement;

    GuardedStatement(GuardedConnection connection, Statement delegate) {
        super(delegate);
        this.connection = connection;
    }

    // ---- the counting core, shared with prepared and callable statements ----

    /**
     * Keeps the statements the guard checks and counts: writes and schema changes (LOCK TABLES included, for its
     * implicit commit) on tables it does not ignore.
     */
    List<SqlStatementInfo> counted(RunContext run, ClassifiedSql sql) {
        List<SqlStatementInfo> counted = new ArrayList<>(sql.statements().size());
        for (SqlStatementInfo statement : sql.statements()) {
            boolean guarded = statement.kind().isWrite() || statement.kind().isSchemaChange();
            if (guarded && !run.ignores(statement.table())) {
                counted.add(statement);
            }
        }
        return counted;
    }

    /** An execution starts: what the job read back of the last one goes. */
    final void newExecution() {
        last = Execution.NONE;
    }

    /** The current execution's state, created when it first has something to hand back. */
    private Execution execution() {
        Execution current = last;
        if (current == Execution.NONE) {
            current = new Execution();
            last = current;
        }
        return current;
    }

    /** An update: {@code executeUpdate} and {@code executeLargeUpdate}, with or without SQL text. */
    final long update(ClassifiedSql sql, Update update) throws SQLException {
        return update(RunContext.current(), sql, update);
    }

    /** {@link #update(ClassifiedSql, Update)} for the run the caller already looked up (or null). */
    final long update(@Nullable RunContext run, ClassifiedSql sql, Update calls) throws SQLException {
        newExecution();
        SqlCall<Long> update = calls.update();
        if (run == null) {
            return update.call();
        }
        List<SqlStatementInfo> counted = counted(run, sql);
        if (counted.isEmpty()) {
            connection.writes().beforeUncounted(run, sql);
            return connection.writes().uncounted(run, sql, update);
        }
        if (sql.isMultiStatement()) {
            long[] counts = MultiStatementWrite.execute(this, run, sql, calls.execute());
            return counts.length == 0 ? 0 : counts[0];
        }
        SqlStatementInfo statement = counted.get(0);
        FoldedUpdate folded = preflight(run, statement, calls);
        if (folded == null && !statement.returnsRows() && run.journal() == null) {
            // the usual write, in a method short enough for the JIT to compile into the statement's call
            WriteRequest<Long> request = updateRequest(run, statement, counted, update);
            countedOnly(request, calls);
            return connection.writes().execute(request);
        }
        return updateOther(run, sql, calls, counted, folded);
    }

    /**
     * An update of a run went the usual way: counted, nothing preflighted, returned or journaled. A prepared statement
     * keeps the request for its later executions in the run ({@link GuardedPreparedStatement}); a statement whose SQL
     * may change with each call keeps nothing.
     */
    void countedOnly(WriteRequest<Long> request, Update calls) {}

    /** An update the guard runs itself (its preflight folded in), that returns rows, or that is journaled. */
    private long updateOther(
            RunContext run,
            ClassifiedSql sql,
            Update calls,
            List<SqlStatementInfo> counted,
            @Nullable FoldedUpdate folded)
            throws SQLException {
        SqlCall<Long> update = calls.update();
        SqlStatementInfo statement = counted.get(0);
        if (folded != null) {
            long rows = connection.writes().execute(WriteRequest.of(run, counted, folded, folded));
            execution().replay(new long[] {rows}); // the guard ran the statement: the job reads its count from here
            return rows;
        }
        if (statement.returnsRows()) {
            // a write returning rows (RETURNING, a data-modifying WITH): pgjdbc runs it and then throws "A result was
            // returned when none was expected", MariaDB runs it and reports no count; it runs as execute(), whose
            // returned rows are counted before it can commit, and the job gets their number
            boolean resultSet = execute(sql, calls.execute(), calls.journalKeys());
            long rows = resultSet && last.returnedRows() instanceof CachedRowSet returned ? returned.size() : 0;
            execution().replay(new long[] {rows});
            return rows;
        }
        // journaled (the usual write without a journal did not come here)
        WriteRequest<Long> write = WriteRequest.of(run, counted, update, updateCounter(run, statement))
                .journaled(steps(run, statement), keys(run, calls.journalKeys()), delegate);
        // the job asked for the count alone: the journal may run the write for it (not when it asked for keys)
        long rows = connection
                .writes()
                .execute(calls.countOnly() ? write.journalMayRun(WriteRequest.JournalRuns.UPDATE) : write);
        // the journal may have run the write instead of the job's statement: the job reads its count from here
        execution().replay(new long[] {rows});
        return rows;
    }

    /** The counter of an update's rows. */
    private static WriteRequest.Counter<Long> updateCounter(RunContext run, SqlStatementInfo statement) {
        return rows -> WriteExecutor.countUpdate(run, statement, rows);
    }

    /**
     * The request of an update not journaled; the same object while the run, statement and call stay (a prepared
     * statement executed again), so that a write allocates nothing for it.
     */
    @SuppressWarnings("ReferenceEquality") // a cache: the same run, statement and call objects
    private WriteRequest<Long> updateRequest(
            RunContext run, SqlStatementInfo statement, List<SqlStatementInfo> counted, SqlCall<Long> update) {
        WriteRequest<Long> known = updateRequest;
        if (known == null
                || known.run != run
                || updateRequestStatement != statement
                || known.statements != counted
                || known.execute != update) {
            known = WriteRequest.of(run, counted, update, updateCounter(run, statement));
            updateRequest = known;
            updateRequestStatement = statement;
        }
        return known;
    }

    // ---- the change journal's view of the statement ----

    /** The parameters bound for the next execution; none for plain SQL. */
    @Nullable
    ParameterSource parameters() {
        return null;
    }

    /**
     * The parameters of each batch entry added since the last execution, or null when they are unknown (a batch of SQL
     * texts).
     */
    @Nullable
    List<ParameterSource> batchParameters() {
        return null;
    }

    /** Whether the driver returns generated keys the journal reads (a prepared statement prepared with them). */
    boolean journalKeys() {
        return false;
    }

    @Nullable
    List<JournalStep> steps(RunContext run, SqlStatementInfo statement) {
        return run.journal() == null ? null : List.of(new JournalStep(statement, parameters()));
    }

    /** Reads the generated keys the journal asked for, and keeps them for the job's own getGeneratedKeys. */
    WriteRequest.@Nullable GeneratedKeys keys(RunContext run, boolean journalKeys) {
        if (run.journal() == null || !journalKeys) {
            return null;
        }
        return () -> {
            CachedRowSet keys = Execution.readAll(delegate.getGeneratedKeys());
            execution().generatedKeys(keys);
            keys.beforeFirst();
            return keys;
        };
    }

    /** {@code execute}, with or without SQL text. */
    final boolean execute(ClassifiedSql sql, SqlCall<Boolean> execute) throws SQLException {
        return execute(sql, execute, journalKeys());
    }

    private boolean execute(ClassifiedSql sql, SqlCall<Boolean> execute, boolean journalKeys) throws SQLException {
        newExecution();
        RunContext run = RunContext.current();
        if (run == null) {
            return execute.call();
        }
        List<SqlStatementInfo> counted = counted(run, sql);
        if (counted.isEmpty()) {
            connection.writes().beforeUncounted(run, sql);
            return connection.writes().uncounted(run, sql, execute);
        }
        if (sql.isMultiStatement()) {
            long[] counts = MultiStatementWrite.execute(this, run, sql, execute);
            execution().replay(counts); // the job reads the counts read up front
            return false;
        }
        SqlStatementInfo statement = counted.get(0);
        preflight(run, statement, null);
        return connection
                .writes()
                .execute(WriteRequest.<Boolean>of(
                                run, counted, execute, hasResultSet -> countExecution(run, statement, hasResultSet))
                        .journaled(steps(run, statement), keys(run, journalKeys), delegate));
    }

    /** Counts what {@code execute} changed, from its first result. */
    private @Nullable Trip countExecution(RunContext run, SqlStatementInfo statement, boolean hasResultSet)
            throws SQLException {
        if (hasResultSet && statement.returnsRows()) {
            CachedRowSet returned = Execution.readAll(delegate.getResultSet());
            execution().returnedRows(returned);
            return statement.returnsChangedRows()
                    ? run.record(statement, returned.size(), false)
                    : run.recordUnreported(statement); // the outer query's rows, not the changes
        }
        // a CALL's first result may be a query of the procedure's: its rows are not changes; the update counts that
        // follow are counted as the job reads them
        execution().openWrite(statement);
        if (hasResultSet && statement.kind() != StatementKind.CALL) {
            return run.recordUnreported(statement); // not classified, returns rows: count unknown
        }
        return run.record(statement, hasResultSet ? 0 : Execution.updateCount(delegate), false);
    }

    /** {@code executeQuery}, with or without SQL text: counted only when the query writes (RETURNING). */
    final ResultSet query(ClassifiedSql sql, SqlCall<ResultSet> query) throws SQLException {
        newExecution();
        RunContext run = RunContext.current();
        if (run == null) {
            return query.call();
        }
        return QueryWrite.execute(this, run, sql, query);
    }

    /**
     * The preflight of one statement about to run ({@link Preflight#count}); of an update whose job asked for its count
     * alone in a run without a journal, the count may ride in the statement ({@link Preflight#countOrFold}).
     *
     * @param update the update about to run, or null for any other execution
     * @return the write the guard runs instead of the job's statement, or null
     */
    @Nullable
    FoldedUpdate preflight(RunContext run, SqlStatementInfo statement, @Nullable Update update) throws SQLException {
        if (update != null && update.countOnly() && run.journal() == null && !statement.returnsRows()) {
            return connection
                    .preflight()
                    .countOrFold(new Preflight.Write(run, statement, parameters(), delegate), update.update());
        }
        connection.preflight().count(run, statement, parameters(), delegate);
        return null;
    }

    /** A batch: {@code executeBatch} and {@code executeLargeBatch}; entry i ran {@code entries.get(i)}. */
    final <R> R batch(List<ClassifiedSql> entries, SqlCall<R> execute, BatchWrite.Result<R> result)
            throws SQLException {
        newExecution();
        RunContext run = RunContext.current();
        if (run == null || entries.isEmpty()) {
            return execute.call();
        }
        return BatchWrite.execute(this, run, entries, execute, result);
    }

    // ---- Statement methods that carry writes or their results ----

    private ClassifiedSql classify(String sql) {
        return connection.classifier().classify(sql);
    }

    @Override
    public ResultSet executeQuery(String sql) throws SQLException {
        return rowChangesRefused(query(classify(sql), () -> delegate.executeQuery(sql)));
    }

    /** 0 unknown, 1 read-only, 2 updatable: the concurrency this statement's result sets were asked for. */
    int concurrency;

    /** The result set as the job may use it in a run ({@link QueryWrite#rowChangesRefused}). */
    final ResultSet rowChangesRefused(ResultSet resultSet) throws SQLException {
        return QueryWrite.rowChangesRefused(this, resultSet, last.returnedRows());
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        if (connection.journalNeedsGeneratedKeys(sql)) {
            return (int) journalKeysUpdate(sql, true);
        }
        Update update = new Update(() -> (long) delegate.executeUpdate(sql), () -> delegate.execute(sql), true, false);
        return (int) update(classify(sql), update);
    }

    /**
     * Plain SQL an INSERT of a journaling run sends with generated keys, so the journal learns its rows' keys.
     *
     * @param countOnly the job asked for the count alone, so the journal may run the INSERT returning its keys itself
     */
    private long journalKeysUpdate(String sql, boolean countOnly) throws SQLException {
        String withoutTerminator = SqlParser.withoutTerminator(sql);
        return update(
                classify(sql),
                new Update(
                        () -> delegate.executeLargeUpdate(withoutTerminator, RETURN_GENERATED_KEYS),
                        () -> delegate.execute(withoutTerminator, RETURN_GENERATED_KEYS),
                        countOnly,
                        true));
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        if (autoGeneratedKeys == RETURN_GENERATED_KEYS && connection.journalNeedsGeneratedKeys(sql)) {
            return (int) journalKeysUpdate(sql, false);
        }
        return (int) update(
                classify(sql),
                Update.of(
                        () -> (long) delegate.executeUpdate(sql, autoGeneratedKeys),
                        () -> delegate.execute(sql, autoGeneratedKeys)));
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return (int) update(
                classify(sql),
                Update.of(
                        () -> (long) delegate.executeUpdate(sql, columnIndexes),
                        () -> delegate.execute(sql, columnIndexes)));
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return (int) update(
                classify(sql),
                Update.of(
                        () -> (long) delegate.executeUpdate(sql, columnNames),
                        () -> delegate.execute(sql, columnNames)));
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        if (connection.journalNeedsGeneratedKeys(sql)) {
            return journalKeysUpdate(sql, true);
        }
        return update(
                classify(sql),
                new Update(() -> delegate.executeLargeUpdate(sql), () -> delegate.execute(sql), true, false));
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return update(
                classify(sql),
                Update.of(
                        () -> delegate.executeLargeUpdate(sql, autoGeneratedKeys),
                        () -> delegate.execute(sql, autoGeneratedKeys)));
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return update(
                classify(sql),
                Update.of(
                        () -> delegate.executeLargeUpdate(sql, columnIndexes),
                        () -> delegate.execute(sql, columnIndexes)));
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        return update(
                classify(sql),
                Update.of(
                        () -> delegate.executeLargeUpdate(sql, columnNames), () -> delegate.execute(sql, columnNames)));
    }

    @Override
    public boolean execute(String sql) throws SQLException {
        return execute(classify(sql), () -> delegate.execute(sql));
    }

    @Override
    public boolean execute(String sql, int autoGeneratedKeys) throws SQLException {
        return execute(classify(sql), () -> delegate.execute(sql, autoGeneratedKeys));
    }

    @Override
    public boolean execute(String sql, int[] columnIndexes) throws SQLException {
        return execute(classify(sql), () -> delegate.execute(sql, columnIndexes));
    }

    @Override
    public boolean execute(String sql, String[] columnNames) throws SQLException {
        return execute(classify(sql), () -> delegate.execute(sql, columnNames));
    }

    @Override
    public void addBatch(String sql) throws SQLException {
        delegate.addBatch(sql);
        batch.add(sql);
    }

    @Override
    public void clearBatch() throws SQLException {
        delegate.clearBatch();
        batch.clear();
    }

    private List<ClassifiedSql> takeBatch() {
        List<ClassifiedSql> entries = new ArrayList<>(batch.size());
        if (RunContext.current() != null) {
            for (String sql : batch) {
                entries.add(classify(sql));
            }
        }
        batch.clear();
        return entries;
    }

    @Override
    public int[] executeBatch() throws SQLException {
        return batch(takeBatch(), delegate::executeBatch, BatchWrite.Result.INT);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return batch(takeBatch(), delegate::executeLargeBatch, BatchWrite.Result.LONG);
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return last.replaying() ? (int) last.replayedCount() : delegate.getUpdateCount();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return last.replaying() ? last.replayedCount() : delegate.getLargeUpdateCount();
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        boolean replaying = last.replaying();
        last.nextResult();
        return !replaying && last.laterResult(delegate.getMoreResults(), this);
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        boolean replaying = last.replaying();
        last.nextResult();
        return !replaying && last.laterResult(delegate.getMoreResults(current), this);
    }

    @Override
    public @Nullable ResultSet getResultSet() throws SQLException {
        if (last.replaying()) {
            return null;
        }
        ResultSet returned = last.returnedRows();
        if (returned != null) {
            return returned;
        }
        ResultSet current = delegate.getResultSet();
        return current == null ? null : rowChangesRefused(current);
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection;
    }

    @Override
    public @Nullable ResultSet getGeneratedKeys() throws SQLException {
        CachedRowSet keys = last.generatedKeys();
        if (keys == null) {
            return delegate.getGeneratedKeys();
        }
        keys.beforeFirst(); // the journal read them first
        return keys;
    }
}
