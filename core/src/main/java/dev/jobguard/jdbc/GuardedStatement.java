package dev.jobguard.jdbc;

import dev.jobguard.Operation;
import dev.jobguard.StatementRefusedException;
import dev.jobguard.Trip;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.ClassifiedSql;
import dev.jobguard.internal.sql.SqlParser;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.internal.sql.StatementKind;
import dev.jobguard.journal.JournalStep;
import dev.jobguard.journal.ParameterSource;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.SQLFeatureNotSupportedException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetFactory;
import javax.sql.rowset.RowSetProvider;

/**
 * A statement of a {@link GuardedConnection}. Outside a guarded run every call goes straight to the driver. Inside
 * one, each write is counted through whichever method carries it: the update count of {@code executeUpdate}, the
 * results of {@code execute} (every result of a multi-statement string), each entry of a batch, the rows a
 * {@code RETURNING} query gives back.
 */
class GuardedStatement extends DelegatingStatement {

    private static volatile RowSetFactory rowSetFactory;

    final GuardedConnection connection;

    /** The SQL of {@link #addBatch(String)} calls since the last execution. */
    private final List<String> batch = new ArrayList<>();

    /** What the job reads back of the last execution; reset when the next one starts. */
    private final LastExecution last = new LastExecution();
    /** The plain SQL being executed was sent with RETURN_GENERATED_KEYS for the journal. */
    private boolean keysForJournal;

    private WriteRequest.Counter<Long> updateCounter;
    private RunContext updateCounterRun;
    private SqlStatementInfo updateCounterStatement;
    private WriteRequest<Long> updateRequest;

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

    /**
     * The state of one execution that outlives it: what the guard read first to count it and hands to the job as it
     * reads its results. One object per statement, reset when the next execution starts (an execution allocates none).
     */
    private static final class LastExecution {
        /** The write whose later results (of a multi-result CALL) are still counted as the job reads them. */
        SqlStatementInfo openWrite;
        /** Update counts counted up front and handed to the job one by one (several statements, the journal's run). */
        long[] replayedCounts;
        /** The next of {@link #replayedCounts} the job reads. */
        int replayIndex;
        /** The rows a write returned (RETURNING), read up front to count them and handed to the job. */
        ResultSet returnedRows;
        /** The generated keys the journal read for itself, handed to the job's getGeneratedKeys. */
        CachedRowSet generatedKeys;

        void reset() {
            generatedKeys = null;
            openWrite = null;
            replayedCounts = null;
            returnedRows = null;
        }

        void replay(long[] counts) {
            replayedCounts = counts;
            replayIndex = 0;
        }
    }

    private void resetResults() {
        last.reset();
    }

    /** An update: {@code executeUpdate} and {@code executeLargeUpdate}, with or without SQL text. */
    final long update(ClassifiedSql sql, SqlCall<Long> update, SqlCall<Boolean> execute) throws SQLException {
        return update(RunContext.current(), sql, update, execute, false);
    }

    /**
     * {@link #update(ClassifiedSql, SqlCall, SqlCall)} for the run the caller already looked up (or null).
     *
     * @param countOnly the job asked for the update count alone (no generated keys), so a journaling run may run the
     *     write in one statement with its read instead ({@link GuardedConnection#update})
     */
    final long update(
            RunContext run, ClassifiedSql sql, SqlCall<Long> update, SqlCall<Boolean> execute, boolean countOnly)
            throws SQLException {
        resetResults();
        if (run == null) {
            return update.call();
        }
        List<SqlStatementInfo> counted = counted(run, sql);
        if (counted.isEmpty()) {
            connection.uncountedStatement(run, sql);
            return connection.uncounted(run, sql, update);
        }
        if (sql.isMultiStatement()) {
            long[] counts = executeMulti(run, sql, execute);
            last.replayedCounts = null;
            return counts.length == 0 ? 0 : counts[0];
        }
        SqlStatementInfo statement = counted.get(0);
        preflight(run, statement);
        if (statement.returnsRows()) {
            // a write returning rows (RETURNING, a data-modifying WITH): pgjdbc runs it and then throws "A result was
            // returned when none was expected", MariaDB runs it and reports no count; it runs as execute(), whose
            // returned rows are counted before it can commit, and the job gets their number
            boolean resultSet = execute(sql, execute);
            long rows = resultSet && last.returnedRows instanceof CachedRowSet returned ? returned.size() : 0;
            last.returnedRows = null;
            last.replay(new long[] {rows});
            return rows;
        }
        if (run.journal() == null) {
            return connection.write(updateRequest(run, statement, counted, update));
        }
        WriteRequest<Long> write = WriteRequest.of(run, counted, update, updateCounter(run, statement))
                .journaled(steps(run, statement), keys(run), delegate);
        // the job asked for the count alone: the journal may run the write for it (not when it asked for keys)
        long rows = connection.write(countOnly ? write.journalMayRun(WriteRequest.JournalRuns.UPDATE) : write);
        // the journal may have run the write instead of the job's statement: the job reads its count from here
        last.replay(new long[] {rows});
        return rows;
    }

    /** The counter of an update's rows; the same object while the run and statement stay (a prepared statement). */
    @SuppressWarnings("ReferenceEquality") // a cache: the same run and the same statement object
    private WriteRequest.Counter<Long> updateCounter(RunContext run, SqlStatementInfo statement) {
        WriteRequest.Counter<Long> known = updateCounter;
        if (known == null || updateCounterRun != run || updateCounterStatement != statement) {
            known = rows -> run.record(statement, rows, false);
            updateCounter = known;
            updateCounterRun = run;
            updateCounterStatement = statement;
        }
        return known;
    }

    /**
     * The request of an update not journaled; the same object while the run, statement and call stay (a prepared
     * statement executed again), so that a write allocates nothing for it.
     */
    private WriteRequest<Long> updateRequest(
            RunContext run, SqlStatementInfo statement, List<SqlStatementInfo> counted, SqlCall<Long> update) {
        WriteRequest<Long> known = updateRequest;
        WriteRequest.Counter<Long> counter = updateCounter(run, statement);
        if (known == null || known.counter != counter || known.statements != counted || known.execute != update) {
            known = WriteRequest.of(run, counted, update, counter);
            updateRequest = known;
        }
        return known;
    }

    // ---- the change journal's view of the statement ----

    /** The parameters bound for the next execution; none for plain SQL. */
    ParameterSource parameters() {
        return null;
    }

    /**
     * The parameters of each batch entry added since the last execution, or null when they are unknown (a batch of SQL
     * texts).
     */
    List<ParameterSource> batchParameters() {
        return null;
    }

    /** Whether the driver returns generated keys the journal reads: plain SQL executed with them for the journal. */
    boolean journalKeys() {
        return keysForJournal;
    }

    private List<JournalStep> steps(RunContext run, SqlStatementInfo statement) {
        return run.journal() == null ? null : List.of(new JournalStep(statement, parameters()));
    }

    /** Reads the generated keys the journal asked for, and keeps them for the job's own getGeneratedKeys. */
    private WriteRequest.GeneratedKeys keys(RunContext run) {
        if (run.journal() == null || !journalKeys()) {
            return null;
        }
        return () -> {
            CachedRowSet keys = readAll(delegate.getGeneratedKeys());
            last.generatedKeys = keys;
            keys.beforeFirst();
            return keys;
        };
    }

    /** {@code execute}, with or without SQL text. */
    final boolean execute(ClassifiedSql sql, SqlCall<Boolean> execute) throws SQLException {
        resetResults();
        RunContext run = RunContext.current();
        if (run == null) {
            return execute.call();
        }
        List<SqlStatementInfo> counted = counted(run, sql);
        if (counted.isEmpty()) {
            connection.uncountedStatement(run, sql);
            return connection.uncounted(run, sql, execute);
        }
        if (sql.isMultiStatement()) {
            executeMulti(run, sql, execute);
            return false;
        }
        SqlStatementInfo statement = counted.get(0);
        preflight(run, statement);
        return connection.write(WriteRequest.<Boolean>of(run, counted, execute, hasResultSet -> {
                    long rows;
                    if (hasResultSet && statement.returnsRows()) {
                        last.returnedRows = readAll(delegate.getResultSet());
                        if (!statement.returnsChangedRows()) {
                            return run.recordUnreported(statement); // the outer query's rows, not the changes
                        }
                        rows = ((CachedRowSet) last.returnedRows).size();
                    } else {
                        // a CALL's first result may be a query of the procedure's: its rows are not changes; the update
                        // counts that follow are counted as the job reads them
                        last.openWrite = statement;
                        if (hasResultSet && statement.kind() != StatementKind.CALL) {
                            return run.recordUnreported(statement); // not classified, returns rows: count unknown
                        }
                        rows = hasResultSet ? 0 : updateCount(delegate);
                    }
                    return run.record(statement, rows, false);
                })
                .journaled(steps(run, statement), keys(run), delegate));
    }

    /** {@code executeQuery}, with or without SQL text: counted only when the query writes (RETURNING). */
    final ResultSet query(ClassifiedSql sql, SqlCall<ResultSet> query) throws SQLException {
        resetResults();
        RunContext run = RunContext.current();
        if (run == null) {
            return query.call();
        }
        List<SqlStatementInfo> counted = counted(run, sql);
        if (counted.isEmpty()) {
            connection.uncountedStatement(run, sql);
            return connection.uncounted(run, sql, query);
        }
        if (sql.isMultiStatement()) {
            throw multiStatementRefused(run, sql);
        }
        SqlStatementInfo statement = counted.get(0);
        if (!statement.returnsRows() && statement.kind().operation() != Operation.OTHER) {
            throw writeThroughQueryRefused(run, statement);
        }
        if (!statement.returnsRows()) {
            // a procedure or function called through executeQuery: its rows are not changes; anything else the guard
            // could not classify (a statement the database runs and answers with rows) changed an unknown count
            boolean call = statement.kind() == StatementKind.CALL;
            return connection.write(WriteRequest.<ResultSet>of(
                            run,
                            counted,
                            query,
                            rows -> call ? run.record(statement, 0, false) : run.recordUnreported(statement))
                    .journaled(steps(run, statement), null, delegate));
        }
        boolean rowsAreTheChanges = statement.returnsChangedRows();
        return connection.write(WriteRequest.<CachedRowSet>of(
                        run,
                        counted,
                        () -> readAll(query.call()),
                        rows -> rowsAreTheChanges
                                ? run.record(statement, rows.size(), false)
                                : run.recordUnreported(statement))
                .journaled(steps(run, statement), null, delegate));
    }

    /** The preflight of one statement about to run ({@link Preflight#count}). */
    void preflight(RunContext run, SqlStatementInfo statement) throws SQLException {
        connection.preflight().count(run, statement, parameters(), delegate);
    }

    /** A batch: {@code executeBatch} and {@code executeLargeBatch}; entry i ran {@code entries.get(i)}. */
    final <R> R batch(
            List<ClassifiedSql> entries, SqlCall<R> execute, BatchCounts<R> counts, Function<long[], R> fromCounts)
            throws SQLException {
        resetResults();
        RunContext run = RunContext.current();
        if (run == null || entries.isEmpty()) {
            return execute.call();
        }
        List<SqlStatementInfo> perEntry = new ArrayList<>(entries.size());
        List<SqlStatementInfo> counted = new ArrayList<>();
        // an entry of several statements (MySQL/MariaDB run them all): the driver reports one count per entry, so
        // the rows of its later statements are unknown
        List<SqlStatementInfo> unreported = new ArrayList<>();
        for (ClassifiedSql entry : entries) {
            List<SqlStatementInfo> entryCounted = counted(run, entry);
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
                connection.uncountedStatement(run, entry);
            }
            return connection.uncounted(run, entries.isEmpty() ? null : entries.get(0), execute);
        }
        for (SqlStatementInfo statement : counted) {
            if (statement.returnsRows()) {
                // pgjdbc answers 0 for every entry of a batch whose statement returns rows, whatever it changed
                throw new StatementRefusedException("jobguard: job '" + run.jobName() + "': refused a batch of "
                        + statement.kind() + " on " + statement.table() + " that returns rows (RETURNING): drivers"
                        + " do not report how many rows such entries changed (PostgreSQL answers 0), so the guard"
                        + " could not count them. Fix: drop RETURNING from the batch, or execute the statement"
                        + " once per entry with executeQuery. Statement: " + statement.sql());
            }
        }
        List<ParameterSource> parameters = batchParameters();
        try {
            connection.preflight().countBatch(run, perEntry, parameters, delegate);
        } catch (SQLException refused) {
            delegate.clearBatch(); // the batch did not run: none of its entries may run later
            throw refused;
        }
        List<JournalStep> steps = batchSteps(run, perEntry, parameters);
        WriteRequest<R> write = WriteRequest.of(run, counted, execute, new WriteRequest.Counter<R>() {
                    @Override
                    public Trip count(R result) {
                        return recordUnreported(run, unreported, recordBatch(run, perEntry, counts.of(result)));
                    }

                    @Override
                    public Trip countPartial(BatchUpdateException failure) {
                        return recordUnreported(run, unreported, recordBatch(run, perEntry, partialCounts(failure)));
                    }
                })
                .journaled(steps, keys(run), delegate);
        // the journal may run the batch's entries itself, one at a time, unless the job asked for generated keys
        return connection.write(
                write.keys == null ? write.journalMayRun(new WriteRequest.JournalRuns<>(fromCounts, true)) : write);
    }

    private static List<JournalStep> batchSteps(
            RunContext run, List<SqlStatementInfo> perEntry, List<ParameterSource> parameters) {
        if (run.journal() == null) {
            return null;
        }
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
    private static Trip recordUnreported(RunContext run, List<SqlStatementInfo> statements, Trip first) {
        for (SqlStatementInfo statement : statements) {
            Trip trip = run.recordUnreported(statement);
            if (first == null) {
                first = trip;
            }
        }
        return first;
    }

    /** The update counts of a batch's result. */
    @FunctionalInterface
    interface BatchCounts<R> {
        long[] of(R result);
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

    static int[] toInt(long[] counts) {
        int[] result = new int[counts.length];
        for (int i = 0; i < counts.length; i++) {
            result[i] = (int) Math.min(Integer.MAX_VALUE, counts[i]);
        }
        return result;
    }

    static long[] toLong(int[] counts) {
        long[] result = new long[counts.length];
        for (int i = 0; i < counts.length; i++) {
            result[i] = counts[i];
        }
        return result;
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
    private static Trip recordBatch(RunContext run, List<SqlStatementInfo> perEntry, long[] counts) {
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

    /**
     * Executes a multi-statement string and reads every update count up front, so that all of them are counted
     * before anything commits; the job then reads the same counts through {@code getUpdateCount} and
     * {@code getMoreResults}. Strings that mix queries and writes are refused: their result sets could not be
     * handed back after reading past them.
     */
    private long[] executeMulti(RunContext run, ClassifiedSql sql, SqlCall<Boolean> execute) throws SQLException {
        for (SqlStatementInfo statement : sql.statements()) {
            if (statement.returnsRows()) {
                throw multiStatementRefused(run, sql);
            }
        }
        List<SqlStatementInfo> counted = counted(run, sql);
        List<SqlStatementInfo> all = sql.statements();
        List<JournalStep> steps = null;
        if (run.journal() != null) {
            steps = new ArrayList<>();
            for (SqlStatementInfo statement : counted) {
                steps.add(JournalStep.gap(
                        statement, "a string of several statements is not journaled: send them one at a time"));
            }
        }
        WriteRequest.Counter<long[]> counter = new WriteRequest.Counter<>() {
            @Override
            public Trip count(long[] results) {
                Trip first = null;
                for (int i = 0; i < Math.max(results.length, all.size()); i++) {
                    SqlStatementInfo statement = all.get(Math.min(i, all.size() - 1));
                    if (!counted.contains(statement)) {
                        continue;
                    }
                    Trip trip = i < results.length
                            ? run.record(statement, results[i], false)
                            : run.recordUnreported(statement);
                    if (first == null) {
                        first = trip;
                    }
                }
                return first;
            }

            /**
             * A later statement of the string failed after earlier ones ran (MySQL/MariaDB run them one by one): the
             * driver reports no count for those, so their rows are unknown and may stay in the job's transaction.
             */
            @Override
            public Trip countFailure(SQLException failure) {
                return run.recordUnreported(counted.get(0));
            }
        };
        long[] counts = connection.write(WriteRequest.of(run, counted, () -> drainCounts(execute.call()), counter)
                .journaled(steps, null, delegate));
        last.replay(counts);
        return counts;
    }

    private long[] drainCounts(boolean hasResultSet) throws SQLException {
        List<Long> counts = new ArrayList<>();
        boolean resultSet = hasResultSet;
        while (true) {
            if (!resultSet) {
                long count = updateCount(delegate);
                if (count == -1) {
                    break;
                }
                counts.add(count);
            }
            resultSet = delegate.getMoreResults();
        }
        return counts.stream().mapToLong(Long::longValue).toArray();
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

    private static StatementRefusedException multiStatementRefused(RunContext run, ClassifiedSql sql) {
        return new StatementRefusedException("jobguard: job '" + run.jobName()
                + "': refused a string of several statements that mixes queries and writes (or a write returning"
                + " rows); the guard could not count its writes before they commit. Send the statements one at a"
                + " time. Statements: " + sql.statements().size() + ", first: "
                + sql.first().sql());
    }

    private static long updateCount(Statement statement) throws SQLException {
        try {
            return statement.getLargeUpdateCount();
        } catch (SQLFeatureNotSupportedException | UnsupportedOperationException notLarge) {
            return statement.getUpdateCount();
        }
    }

    /** Reads a write's returned rows into memory, so they are counted before the write can commit. */
    private static CachedRowSet readAll(ResultSet resultSet) throws SQLException {
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

    /** Counts a result of a multi-result CALL the job reads after the first one. */
    private void countLaterResult(boolean hasResultSet) throws SQLException {
        RunContext run = RunContext.current();
        SqlStatementInfo write = last.openWrite;
        if (run == null || write == null || hasResultSet) {
            return;
        }
        long rows = updateCount(delegate);
        if (rows == -1) {
            last.openWrite = null;
            return;
        }
        Trip trip = run.record(write, rows, false);
        if (trip != null) {
            connection.tripAfterWrite(run, trip);
        }
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
    private int concurrency;

    /**
     * A result set of a statement created {@code CONCUR_UPDATABLE}, whose {@code updateRow}, {@code insertRow} and
     * {@code deleteRow} write rows no update count reports: inside a guarded run they are refused before they reach
     * the driver (also on a result set opened before the run). Other result sets are returned as they are.
     */
    final ResultSet rowChangesRefused(ResultSet resultSet) throws SQLException {
        if (resultSet == null || (resultSet == last.returnedRows && resultSet instanceof CachedRowSet)) {
            return resultSet;
        }
        int known = concurrency;
        if (known == 0) {
            known = delegate.getResultSetConcurrency() == ResultSet.CONCUR_UPDATABLE ? 2 : 1;
            concurrency = known;
        }
        if (known == 1) {
            return resultSet;
        }
        ResultSet target = resultSet;
        return (ResultSet) Proxy.newProxyInstance(
                GuardedStatement.class.getClassLoader(), new Class<?>[] {ResultSet.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (method.getParameterCount() == 0) {
                        if (name.equals("getStatement")) {
                            return this;
                        }
                        if (name.equals("updateRow") || name.equals("insertRow") || name.equals("deleteRow")) {
                            RunContext run = RunContext.current();
                            if (run != null) {
                                throw new StatementRefusedException("jobguard: job '" + run.jobName()
                                        + "': refused ResultSet." + name + "(): a row changed through an updatable"
                                        + " result set has no update count, so the guard could not count it."
                                        + " Fix: change the rows with UPDATE, INSERT or DELETE statements.");
                            }
                        }
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Override
    public int executeUpdate(String sql) throws SQLException {
        if (connection.journalNeedsGeneratedKeys(sql)) {
            return (int) journalKeysUpdate(sql, true);
        }
        return (int) update(
                RunContext.current(),
                classify(sql),
                () -> (long) delegate.executeUpdate(sql),
                () -> delegate.execute(sql),
                true);
    }

    /**
     * Plain SQL an INSERT of a journaling run sends with generated keys, so the journal learns its rows' keys.
     *
     * @param countOnly the job asked for the count alone, so the journal may run the INSERT returning its keys itself
     */
    private long journalKeysUpdate(String sql, boolean countOnly) throws SQLException {
        keysForJournal = true;
        try {
            return update(
                    RunContext.current(),
                    classify(sql),
                    () -> delegate.executeLargeUpdate(SqlParser.withoutTerminator(sql), RETURN_GENERATED_KEYS),
                    () -> delegate.execute(SqlParser.withoutTerminator(sql), RETURN_GENERATED_KEYS),
                    countOnly);
        } finally {
            keysForJournal = false;
        }
    }

    @Override
    public int executeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        if (autoGeneratedKeys == RETURN_GENERATED_KEYS && connection.journalNeedsGeneratedKeys(sql)) {
            return (int) journalKeysUpdate(sql, false);
        }
        return (int) update(
                classify(sql),
                () -> (long) delegate.executeUpdate(sql, autoGeneratedKeys),
                () -> delegate.execute(sql, autoGeneratedKeys));
    }

    @Override
    public int executeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return (int) update(
                classify(sql),
                () -> (long) delegate.executeUpdate(sql, columnIndexes),
                () -> delegate.execute(sql, columnIndexes));
    }

    @Override
    public int executeUpdate(String sql, String[] columnNames) throws SQLException {
        return (int) update(
                classify(sql),
                () -> (long) delegate.executeUpdate(sql, columnNames),
                () -> delegate.execute(sql, columnNames));
    }

    @Override
    public long executeLargeUpdate(String sql) throws SQLException {
        if (connection.journalNeedsGeneratedKeys(sql)) {
            return journalKeysUpdate(sql, true);
        }
        return update(
                RunContext.current(),
                classify(sql),
                () -> delegate.executeLargeUpdate(sql),
                () -> delegate.execute(sql),
                true);
    }

    @Override
    public long executeLargeUpdate(String sql, int autoGeneratedKeys) throws SQLException {
        return update(
                classify(sql),
                () -> delegate.executeLargeUpdate(sql, autoGeneratedKeys),
                () -> delegate.execute(sql, autoGeneratedKeys));
    }

    @Override
    public long executeLargeUpdate(String sql, int[] columnIndexes) throws SQLException {
        return update(
                classify(sql),
                () -> delegate.executeLargeUpdate(sql, columnIndexes),
                () -> delegate.execute(sql, columnIndexes));
    }

    @Override
    public long executeLargeUpdate(String sql, String[] columnNames) throws SQLException {
        return update(
                classify(sql),
                () -> delegate.executeLargeUpdate(sql, columnNames),
                () -> delegate.execute(sql, columnNames));
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
        return batch(takeBatch(), delegate::executeBatch, GuardedStatement::toLong, GuardedStatement::toInt);
    }

    @Override
    public long[] executeLargeBatch() throws SQLException {
        return batch(takeBatch(), delegate::executeLargeBatch, counts -> counts, counts -> counts);
    }

    @Override
    public int getUpdateCount() throws SQLException {
        return last.replayedCounts != null ? (int) replayedCount() : delegate.getUpdateCount();
    }

    @Override
    public long getLargeUpdateCount() throws SQLException {
        return last.replayedCounts != null ? replayedCount() : delegate.getLargeUpdateCount();
    }

    private long replayedCount() {
        return last.replayIndex < last.replayedCounts.length ? last.replayedCounts[last.replayIndex] : -1;
    }

    @Override
    public boolean getMoreResults() throws SQLException {
        if (last.replayedCounts != null) {
            last.replayIndex++;
            return false;
        }
        last.returnedRows = null;
        boolean hasResultSet = delegate.getMoreResults();
        countLaterResult(hasResultSet);
        return hasResultSet;
    }

    @Override
    public boolean getMoreResults(int current) throws SQLException {
        if (last.replayedCounts != null) {
            last.replayIndex++;
            return false;
        }
        last.returnedRows = null;
        boolean hasResultSet = delegate.getMoreResults(current);
        countLaterResult(hasResultSet);
        return hasResultSet;
    }

    @Override
    public ResultSet getResultSet() throws SQLException {
        if (last.replayedCounts != null) {
            return null;
        }
        return last.returnedRows != null ? last.returnedRows : rowChangesRefused(delegate.getResultSet());
    }

    @Override
    public Connection getConnection() throws SQLException {
        return connection;
    }

    @Override
    public ResultSet getGeneratedKeys() throws SQLException {
        CachedRowSet keys = last.generatedKeys;
        if (keys == null) {
            return delegate.getGeneratedKeys();
        }
        keys.beforeFirst(); // the journal read them first
        return keys;
    }
}
