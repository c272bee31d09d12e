package dev.jobguard.journal;

import dev.jobguard.RowLimitExceededException;
import dev.jobguard.Trip;
import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.run.RunContext;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The journal of one connection: reads what each write of a journaling run is about to change (or runs the write
 * with its read) and writes the entries to {@code jobguard_change} in the write's transaction as it reads them, a
 * chunk at a time ({@link EntryWriter}), so that nothing grows with the number of rows a write changes. A rollback
 * takes the entries with the changes; a write that fails in a transaction that goes on takes its entries back.
 * Internal to jobguard; used by one connection at a time.
 */
public final class ConnectionJournal {

    private final Journaling support;
    private final EntryWriter writer;

    public ConnectionJournal(Journaling support) {
        this.support = support;
        this.writer = new EntryWriter(support);
    }

    /** What a write will change, read (and journaled) before it executes. */
    public final class Capture {
        private final Connection raw;
        private final RunContext run;
        private final List<Step> steps;
        /** The counts of a batch the journal ran entry by entry; null otherwise. */
        private final long[] entryCounts;

        private Capture(Connection raw, RunContext run, List<Step> steps, long[] entryCounts) {
            this.raw = raw;
            this.run = run;
            this.steps = steps;
            this.entryCounts = entryCounts;
        }

        /**
         * Whether the journal ran the write itself ({@link ConnectionJournal#before(Connection, RunContext, List,
         * boolean, Statement, boolean)}): with its read in one statement, or a batch entry by entry. The job's
         * statement must not run (a batch's entries must be cleared from it), and {@link #updateCounts()} is its
         * result.
         */
        public boolean executed() {
            return entryCounts != null || (steps.size() == 1 && steps.get(0).executed);
        }

        /** The rows the write the journal ran changed: one count per batch entry, or the one count of its statement. */
        public long[] updateCounts() {
            if (entryCounts != null) {
                return entryCounts.clone();
            }
            Step step = steps.get(0);
            return new long[] {step.insertedKeys != null ? step.insertedKeys.size() : step.rows};
        }

        /**
         * A batch failed part-way in a transaction that goes on (the job's own, or a sandbox). When the driver
         * reported each entry (a count, or {@code EXECUTE_FAILED} for a statement that failed and so changed
         * nothing), the entries that took effect are journaled; otherwise which did is unknown, so each of its tables
         * gets a gap entry, and the run's revert is partial.
         *
         * @param counts the failure's update counts, one per batch entry when the driver reported them all
         */
        public void failedPartWay(long[] counts) throws SQLException {
            if (reportsEachStep(counts)) {
                try {
                    for (int i = 0; i < steps.size(); i++) {
                        if (counts[i] == Statement.EXECUTE_FAILED) {
                            Step step = steps.get(i);
                            writer.delete(raw, run, step.written);
                            step.written.clear();
                            step.rows = 0;
                            step.readBack = false;
                            step.insertedKeys = List.of();
                        }
                    }
                    after(null); // no generated keys to read
                    return;
                } catch (SQLException unexpected) {
                    // fall through to the gap
                }
            }
            Set<String> tables = new LinkedHashSet<>();
            for (Step step : steps) {
                try {
                    writer.delete(raw, run, step.written);
                } catch (SQLException transactionAborted) {
                    // PostgreSQL aborted the transaction: nothing of it will commit
                }
                step.written.clear();
                if (step.gap == null && tables.add(step.tableName == null ? "?" : step.tableName)) {
                    gapAfterWrite(step, "a batch failed part-way; the entries that took effect were not journaled");
                }
            }
        }

        /**
         * The write failed in a transaction that goes on (the job caught it): the entries written for it are taken
         * back. Where the database aborted the transaction (PostgreSQL) that cannot be done, and need not: nothing of
         * it will commit.
         */
        public void abandon() {
            ConnectionJournal.this.abandon(raw, run, steps);
        }

        /**
         * Whether the counts tell of each step whether it took effect: one per step, not all failed (a driver that
         * reports nothing per entry says -3 for each), and no INSERT waiting for generated keys, which a failed batch
         * does not return reliably.
         */
        private boolean reportsEachStep(long[] counts) {
            if (counts == null || counts.length != steps.size() || counts.length == 0) {
                return false;
            }
            boolean anyTookEffect = false;
            for (int i = 0; i < counts.length; i++) {
                Step step = steps.get(i);
                if (counts[i] != Statement.EXECUTE_FAILED) {
                    anyTookEffect = true;
                    if (step.gap == null
                            && step.plan.operation() == CapturePlan.Operation.INSERT
                            && step.insertedKeys == null) {
                        return false;
                    }
                }
            }
            return anyTookEffect;
        }

        /** A step found uncapturable once it ran: a gap entry, and the run is told (it cannot trip the write now). */
        private void gapAfterWrite(Step step, String why) throws SQLException {
            writeGap(raw, run, step, gapText(step.statementSql, why));
            run.journalGap(step.tableName, step.statementSql, why);
        }

        /**
         * The write succeeded: the rows it inserted are journaled with their after-images, and the entries of its
         * UPDATEs whose after-images could not be evaluated with the read get them from the rows as stored.
         *
         * @param generatedKeys the driver's generated keys of an INSERT, when the statement asked for them; else null
         */
        public void after(ResultSet generatedKeys) throws SQLException {
            List<List<String>> generated = null;
            int nextGenerated = 0;
            for (Step step : steps) {
                if (step.gap != null) {
                    writeGap(raw, run, step, step.gap);
                    continue;
                }
                if (step.readBack) {
                    writer.fillAfter(raw, run, step.table, step.columns, step.written);
                    step.readBack = false;
                }
                List<List<String>> keys = step.insertedKeys;
                if (step.plan.operation() == CapturePlan.Operation.INSERT && keys == null) {
                    if (generated == null && generatedKeys != null) {
                        generated = InsertKeys.fromGeneratedKeys(generatedKeys, step.table);
                    }
                    // a batch's generated keys come in the order of its entries, one per VALUES row
                    int rows = step.plan.rows().isEmpty() || steps.size() == 1
                            ? Integer.MAX_VALUE
                            : step.plan.rows().size();
                    if (generated != null && nextGenerated < generated.size()) {
                        int to = (int) Math.min(generated.size(), (long) nextGenerated + rows);
                        keys = generated.subList(nextGenerated, to);
                        nextGenerated = to;
                    }
                    if (keys == null) {
                        gapAfterWrite(step, "the driver did not return the new rows' keys");
                        continue;
                    }
                }
                if (keys != null) {
                    writeInserts(raw, run, step, keys);
                }
            }
        }
    }

    /** Takes back the entries written for these steps; see {@link Capture#abandon()}. */
    private void abandon(Connection raw, RunContext run, List<Step> steps) {
        for (Step step : steps) {
            try {
                writer.delete(raw, run, step.written);
            } catch (SQLException transactionAborted) {
                return; // nothing of the transaction will commit
            }
            step.written.clear();
        }
    }

    private void writeGap(Connection raw, RunContext run, Step step, String why) throws SQLException {
        String table = step.table == null ? "?" : step.table.reference();
        writer.add(raw, run, List.of(new EntryWriter.Entry(table, JournalEntry.GAP, null, why, null)));
    }

    /** The INSERT entries of the rows with these keys; their after-images are read when they are written. */
    private void writeInserts(Connection raw, RunContext run, Step step, List<List<String>> keys) throws SQLException {
        step.written.add(writer.addInserts(raw, run, step.table, keys));
    }

    private static final class Step {
        CapturePlan plan;
        TableInfo table;
        String tableName;
        String statementSql;
        /** The rows the step's read found (and journaled). */
        long rows;
        /** The positions of the entries written for the step. */
        final List<EntryWriter.Range> written = new ArrayList<>();
        /** Its UPDATE entries were written without after-images: read them back once the write ran. */
        boolean readBack;
        /** The columns an UPDATE's images hold (key and SET columns); null for whole rows. */
        List<String> columns;

        List<List<String>> insertedKeys;
        String gap;
        /** The journal ran the write itself, in one statement with its read. */
        boolean executed;
    }

    /**
     * Reads, in the write's transaction, the rows each step is about to update or delete (locking them where the
     * database allows) and the keys an INSERT gives. A step that cannot be captured is reported to the run.
     *
     * @throws SQLException the run's trip exception when a gap trips it ({@code tripOnJournalGap})
     */
    public Capture before(Connection raw, RunContext run, List<JournalStep> steps, boolean generatedKeys)
            throws SQLException {
        return before(raw, run, steps, generatedKeys, null, false);
    }

    /**
     * {@link #before(Connection, RunContext, List, boolean)} for an update count the journal may produce itself: on
     * PostgreSQL, a single UPDATE or DELETE whose parameters it can replay runs with its read in one statement
     * ({@link ReturningCapture}), and {@link Capture#executed()} tells the caller not to run the job's.
     *
     * <p>A batch of several UPDATE or DELETE entries whose parameters the journal can replay runs entry by entry in
     * the journal (each read, run and, where needed, read back before the next), when the caller takes its counts
     * from the journal: an entry may change a row an earlier one changed, or make a row match, so reading every
     * entry's rows before the batch runs would journal images the rows never had, and the revert would find the rows
     * "changed since the run".
     *
     * @param job the job's statement, whose query timeout the journal's reads keep; null when unknown
     * @param mayExecute the caller takes its update count (or, for a batch, one per entry) from the journal: it may
     *     run the write (never when the job asked for generated keys)
     */
    public Capture before(
            Connection raw,
            RunContext run,
            List<JournalStep> steps,
            boolean generatedKeys,
            Statement job,
            boolean mayExecute)
            throws SQLException {
        List<Step> captured = new ArrayList<>(steps.size());
        int timeout = job == null ? 0 : job.getQueryTimeout();
        if (mayExecute && !generatedKeys && runsEntryByEntry(steps)) {
            return new Capture(raw, run, captured, entryByEntry(raw, run, steps, captured, timeout));
        }
        boolean mayRun = mayExecute && steps.size() == 1;
        try {
            for (JournalStep journalStep : steps) {
                captureStep(raw, run, journalStep, captured, generatedKeys, mayRun, timeout);
            }
        } catch (SQLException | RuntimeException | Error failure) {
            abandon(raw, run, captured);
            throw failure;
        }
        return new Capture(raw, run, captured, null);
    }

    /**
     * Captures one step (a statement, or a batch entry) and adds it to {@code captured}: a step that cannot be captured
     * gets its gap, which trips the run when it trips on gaps.
     */
    private Step captureStep(
            Connection raw,
            RunContext run,
            JournalStep journalStep,
            List<Step> captured,
            boolean generatedKeys,
            boolean mayRun,
            int timeout)
            throws SQLException {
        Step step = new Step();
        captured.add(step);
        step.tableName = journalStep.statement().table();
        step.statementSql = journalStep.statement().sql();
        String gap = capture(raw, run, journalStep, step, generatedKeys, mayRun, timeout);
        if (gap != null) {
            step.gap = gapText(step.statementSql, gap);
            Trip trip = run.journalGap(step.tableName, step.statementSql, gap);
            if (trip != null) {
                throw run.exception(trip, "The statement was not executed: " + gap + ".");
            }
        }
        return step;
    }

    /**
     * A batch of several entries, each an UPDATE or DELETE the journal can plan, rewrite and replay with its
     * parameters: its entries may depend on each other.
     */
    private boolean runsEntryByEntry(List<JournalStep> steps) {
        if (steps.size() < 2) {
            return false;
        }
        for (JournalStep step : steps) {
            if (step.gap() != null) {
                return false;
            }
            CapturePlan plan =
                    support.plan(step.statement().sql(), step.statement().table());
            if ((plan.operation() != CapturePlan.Operation.UPDATE && plan.operation() != CapturePlan.Operation.DELETE)
                    || plan.rewrite() == null
                    || !PlanColumns.allReplayable(
                            step.parameters(), plan.rewrite().parameters())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Runs a batch's entries one at a time, each captured as a single write: its rows read (on PostgreSQL with the
     * write, in one statement), the entry run with its parameters, its after-images read back where they were not
     * evaluated, before the next entry runs. An entry that fails leaves the entries before it in the transaction, as a
     * batch that stops at a failure does: a {@link BatchUpdateException} with their counts.
     *
     * @return the rows each entry changed
     */
    private long[] entryByEntry(
            Connection raw, RunContext run, List<JournalStep> steps, List<Step> captured, int timeout)
            throws SQLException {
        long[] counts = new long[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            JournalStep journalStep = steps.get(i);
            try {
                Step step = captureStep(raw, run, journalStep, captured, false, true, timeout);
                counts[i] = step.executed ? step.rows : executeEntry(raw, journalStep, step, timeout);
                if (step.readBack) {
                    writer.fillAfter(raw, run, step.table, step.columns, step.written);
                    step.readBack = false;
                }
            } catch (SQLException failure) {
                abandon(raw, run, captured.subList(i, captured.size()));
                if (failure instanceof RowLimitExceededException) {
                    throw failure;
                }
                throw new BatchUpdateException(
                        failure.getMessage(),
                        failure.getSQLState(),
                        failure.getErrorCode(),
                        Arrays.copyOf(counts, i),
                        failure);
            } catch (RuntimeException | Error failure) {
                abandon(raw, run, captured.subList(i, captured.size()));
                throw failure;
            }
        }
        return counts;
    }

    /** Runs one batch entry, the job's SQL with its parameters, on the job's connection. */
    private static long executeEntry(Connection raw, JournalStep journalStep, Step step, int timeout)
            throws SQLException {
        String sql = journalStep.statement().sql();
        ParameterSource parameters = journalStep.parameters();
        if (parameters == null) {
            try (Statement statement = raw.createStatement()) {
                if (timeout > 0) {
                    statement.setQueryTimeout(timeout);
                }
                return statement.executeLargeUpdate(sql);
            }
        }
        try (PreparedStatement statement = raw.prepareStatement(sql)) {
            for (int k = 1; k <= step.plan.rewrite().parameters(); k++) {
                parameters.bind(k, statement, k);
            }
            if (timeout > 0) {
                statement.setQueryTimeout(timeout);
            }
            return statement.executeLargeUpdate();
        }
    }

    private String capture(
            Connection raw,
            RunContext run,
            JournalStep journalStep,
            Step step,
            boolean generatedKeys,
            boolean mayRun,
            int timeout)
            throws SQLException {
        String sql = journalStep.statement().sql();
        if (journalStep.gap() != null) {
            return journalStep.gap();
        }
        // the plan parses the statement itself, also where the guard's classifier fell back to tokens: its time-out
        // (a cold JVM's first parse may take longer) and cached failure must not make a plain write a gap for good
        CapturePlan plan = support.plan(sql, step.tableName);
        step.plan = plan;
        if (plan.operation() == CapturePlan.Operation.GAP) {
            return plan.gap();
        }
        TableInfo table = support.table(raw, plan.table());
        step.table = table;
        if (!table.hasKey()) {
            return "table " + plan.table() + " has no primary key, so its rows cannot be identified for a revert";
        }
        ParameterSource parameters = journalStep.parameters();
        if (plan.operation() == CapturePlan.Operation.INSERT) {
            int[] positions = InsertKeys.positions(plan, table);
            if (positions != null) {
                step.insertedKeys = InsertKeys.fromValues(plan, table, positions, parameters);
                if (step.insertedKeys == null) {
                    return "a parameter of a key column was bound before the run started or from a stream";
                }
            } else if (mayRun
                    && plan.rewrite() != null
                    && support.insertReturning(raw)
                    && PlanColumns.allReplayable(parameters, plan.rewrite().parameters())) {
                // MariaDB's driver returns auto-increment keys only: the INSERT returns its rows' keys itself
                executeInsertReturning(raw, step, parameters, timeout);
            } else if (!generatedKeys) {
                return "the new rows' keys are generated by the database and the statement does not return them"
                        + " (prepare it in the run, with plain SQL text, so the guard can ask the driver for them)";
            }
            return null;
        }
        for (Column key : table.key()) {
            for (String set : plan.setColumns()) {
                if (key.name().equalsIgnoreCase(PlanColumns.unquote(set))) {
                    return "the UPDATE changes the primary key column " + key.name();
                }
            }
        }
        for (int index : plan.parameters()) {
            if (parameters == null || !parameters.replayable(index)) {
                return "its WHERE uses a parameter bound before the run started or from a stream";
            }
        }
        String select = plan.select();
        int[] selectParameters = plan.parameters();
        List<String> afterColumns = null;
        if (plan.operation() == CapturePlan.Operation.UPDATE) {
            step.columns = PlanColumns.updateColumns(plan, table);
            if (step.columns == null) {
                return "a column it sets is not a column of " + plan.table();
            }
        }
        if (mayRun
                && !generatedKeys
                && plan.rewrite() != null
                && support.dialect(raw) == Dialect.POSTGRESQL
                && PlanColumns.allReplayable(parameters, plan.rewrite().parameters())) {
            executeWithRead(raw, run, step, parameters, timeout);
            return null;
        }
        if (plan.operation() == CapturePlan.Operation.UPDATE) {
            StringBuilder list = new StringBuilder(support.dialect(raw).columnList(step.columns));
            List<String> stored = plan.computesAfter() && PlanColumns.allReplayable(parameters, plan.setParameters())
                    ? PlanColumns.asStored(plan, table)
                    : null;
            if (stored != null) {
                // the SELECT also evaluates the SET expressions on each row, cast as the columns store them: the
                // after-image without a read-back
                afterColumns = PlanColumns.setColumns(plan, table);
                for (int i = 0; i < stored.size(); i++) {
                    list.append(", ")
                            .append(stored.get(i))
                            .append(" AS jg_after_")
                            .append(i);
                }
                selectParameters = new int[plan.setParameters() + plan.parameters().length];
                for (int k = 0; k < selectParameters.length; k++) {
                    selectParameters[k] =
                            k < plan.setParameters() ? k + 1 : plan.parameters()[k - plan.setParameters()];
                }
            }
            select = "SELECT " + list + select.substring("SELECT *".length());
        }
        readBefore(raw, run, step, select, selectParameters, afterColumns, parameters, timeout);
        return null;
    }

    /** Runs the step's UPDATE or DELETE with its read, in one statement ({@link ReturningCapture}). */
    private void executeWithRead(Connection raw, RunContext run, Step step, ParameterSource parameters, int timeout)
            throws SQLException {
        CapturePlan plan = step.plan;
        List<String> afterColumns = null;
        String sql;
        if (plan.operation() == CapturePlan.Operation.UPDATE) {
            afterColumns = PlanColumns.setColumns(plan, step.table);
            sql = ReturningCapture.update(plan.rewrite(), step.table, step.columns, afterColumns);
        } else {
            sql = ReturningCapture.delete(plan.rewrite());
        }
        try (PreparedStatement statement = raw.prepareStatement(sql)) {
            for (int k = 1; k <= plan.rewrite().parameters(); k++) {
                parameters.bind(k, statement, k);
            }
            if (timeout > 0) {
                statement.setQueryTimeout(timeout);
            }
            statement.setFetchSize(EntryWriter.CHUNK);
            try (ResultSet result = statement.executeQuery()) {
                journalRows(raw, result, run, step, afterColumns);
            }
        }
        step.executed = true;
    }

    /** Runs the step's INSERT returning its new rows' keys ({@link ReturningCapture#insert}). */
    private void executeInsertReturning(Connection raw, Step step, ParameterSource parameters, int timeout)
            throws SQLException {
        CapturePlan.Rewrite parts = step.plan.rewrite();
        String sql = ReturningCapture.insert(parts, step.table, support.dialect(raw));
        try (PreparedStatement statement = raw.prepareStatement(sql)) {
            for (int k = 1; k <= parts.parameters(); k++) {
                parameters.bind(k, statement, k);
            }
            if (timeout > 0) {
                statement.setQueryTimeout(timeout);
            }
            try (ResultSet result = statement.executeQuery()) {
                step.insertedKeys = InsertKeys.fromKeyColumns(result, step.table);
            }
        }
        step.executed = true;
    }

    /**
     * Reads the rows a write will change and journals them.
     *
     * @param afterColumns the columns whose after-values follow the row's columns in the result (evaluated SET
     *     expressions), or null
     * @param timeout the job statement's query timeout in seconds, 0 for none
     */
    private void readBefore(
            Connection raw,
            RunContext run,
            Step step,
            String sql,
            int[] indexes,
            List<String> afterColumns,
            ParameterSource parameters,
            int timeout)
            throws SQLException {
        Dialect dialect = support.dialect(raw);
        try (PreparedStatement select = raw.prepareStatement(sql + dialect.lockClause())) {
            for (int k = 0; k < indexes.length; k++) {
                parameters.bind(indexes[k], select, k + 1);
            }
            if (timeout > 0) {
                select.setQueryTimeout(timeout);
            }
            // PostgreSQL reads through a cursor (the write's transaction is open), H2 by pages: the rows are
            // journaled a chunk at a time while the result is read
            select.setFetchSize(EntryWriter.CHUNK);
            try (ResultSet result = select.executeQuery()) {
                journalRows(raw, result, run, step, afterColumns);
            }
        }
    }

    /**
     * Journals the rows of a read, a chunk at a time: key, before-image, and the after-image when the after-values
     * follow the row's columns; an UPDATE's entries without one get it read back once the write ran.
     */
    private void journalRows(Connection raw, ResultSet result, RunContext run, Step step, List<String> afterColumns)
            throws SQLException {
        TableInfo table = step.table;
        int rowColumns = result.getMetaData().getColumnCount() - (afterColumns == null ? 0 : afterColumns.size());
        RowReader reader = new RowReader(result, table, run.journal(), rowColumns);
        String operation = step.plan.operation().name();
        List<EntryWriter.Entry> chunk = new ArrayList<>(EntryWriter.CHUNK);
        while (result.next()) {
            List<String> key = reader.key();
            String after = afterColumns == null ? null : reader.evaluatedImage(key, afterColumns);
            chunk.add(new EntryWriter.Entry(
                    table.reference(), operation, EntryWriter.keyJson(table, key), reader.image(), after));
            step.rows++;
            if (chunk.size() == EntryWriter.CHUNK) {
                step.written.add(writer.add(raw, run, chunk));
                chunk.clear();
            }
        }
        if (!chunk.isEmpty()) {
            step.written.add(writer.add(raw, run, chunk));
        }
        step.readBack = afterColumns == null && step.plan.operation() == CapturePlan.Operation.UPDATE;
    }

    /** Whether entries wait for the transaction's commit (at most {@link EntryWriter#CHUNK}). */
    public boolean hasPending() {
        return !writer.isEmpty();
    }

    /** The transaction rolled back: the entries that wait go with it (those written went with the transaction). */
    public void discard() {
        writer.clear();
    }

    /** Writes the entries that wait, in the connection's transaction, just before it commits. */
    public void flush(Connection raw) throws SQLException {
        writer.flush(raw);
    }

    private static String gapText(String sql, String why) {
        return why + "; statement: " + dev.jobguard.internal.sql.SqlText.shorten(sql);
    }
}
