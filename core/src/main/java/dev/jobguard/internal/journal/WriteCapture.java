package dev.jobguard.internal.journal;

import dev.jobguard.RowLimitExceededException;
import dev.jobguard.Trip;
import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.sql.SqlText;
import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The capture of one write before it runs, in its transaction: for each step (the statement, or a batch entry) the
 * plan, then the rows it is about to update or delete read (locking them where the database allows) and journaled a
 * chunk at a time, or the keys an INSERT gives; on PostgreSQL a single UPDATE or DELETE runs with its read in one
 * statement ({@link ReturningCapture}), and a batch of UPDATE and DELETE entries runs entry by entry. A step that cannot
 * be captured is reported to the run. Made by {@link ConnectionJournal#before} for one write, and used once.
 */
final class WriteCapture {

    private final Journaling support;
    private final EntryWriter writer;
    private final Connection raw;
    private final RunContext run;
    private final JournalWrite write;
    /** The job statement's query timeout in seconds, 0 for none: the journal's reads keep it. */
    private final int timeout;

    private final List<CapturedStep> captured;

    WriteCapture(Journaling support, EntryWriter writer, Connection raw, RunContext run, JournalWrite write)
            throws SQLException {
        this.support = support;
        this.writer = writer;
        this.raw = raw;
        this.run = run;
        this.write = write;
        this.timeout = write.job() == null ? 0 : write.job().getQueryTimeout();
        this.captured = new ArrayList<>(write.steps().size());
    }

    /**
     * Captures the write's steps (see {@link ConnectionJournal#before(Connection, RunContext, JournalWrite)}); on a
     * failure, the entries written for them are taken back.
     *
     * @throws SQLException the run's trip exception when a gap trips it ({@code tripOnJournalGap})
     */
    CapturedWrite capture() throws SQLException {
        List<JournalStep> steps = write.steps();
        if (write.mayExecute() && !write.generatedKeys() && runsEntryByEntry(steps)) {
            return new CapturedWrite(writer, raw, run, captured, entryByEntry(steps));
        }
        boolean mayRun = write.mayExecute() && steps.size() == 1;
        try {
            for (JournalStep journalStep : steps) {
                captureStep(journalStep, mayRun);
            }
        } catch (SQLException | RuntimeException | Error failure) {
            CapturedWrite.abandon(writer, raw, run, captured);
            throw failure;
        }
        return new CapturedWrite(writer, raw, run, captured, null);
    }

    /**
     * Captures one step (a statement, or a batch entry) and adds it to {@link #captured}: a step that cannot be
     * captured gets its gap, which trips the run when it trips on gaps.
     *
     * @param mayRun the journal may run the step itself (with its read, or an INSERT returning its keys)
     */
    private CapturedStep captureStep(JournalStep journalStep, boolean mayRun) throws SQLException {
        CapturedStep step = new CapturedStep(
                journalStep.statement().table(), journalStep.statement().sql());
        captured.add(step);
        String gap = capture(journalStep, step, mayRun);
        if (gap != null) {
            step.gap = step.gapText(gap);
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
    private long[] entryByEntry(List<JournalStep> steps) throws SQLException {
        long[] counts = new long[steps.size()];
        for (int i = 0; i < steps.size(); i++) {
            JournalStep journalStep = steps.get(i);
            try {
                CapturedStep step = captureStep(journalStep, true);
                counts[i] = step.executed ? step.rows : executeEntry(journalStep, step);
                if (step.readBack) {
                    writer.fillAfter(raw, run, step.table(), step.columns, step.written);
                    step.readBack = false;
                }
            } catch (SQLException failure) {
                CapturedWrite.abandon(writer, raw, run, captured.subList(i, captured.size()));
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
                CapturedWrite.abandon(writer, raw, run, captured.subList(i, captured.size()));
                throw failure;
            }
        }
        return counts;
    }

    /** Runs one batch entry, the job's SQL with its parameters, on the job's connection. */
    private long executeEntry(JournalStep journalStep, CapturedStep step) throws SQLException {
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
            replay(parameters, step.plan().requiredRewrite().parameters(), statement);
            if (timeout > 0) {
                statement.setQueryTimeout(timeout);
            }
            return statement.executeLargeUpdate();
        }
    }

    /**
     * Plans the step and reads (and journals) the rows it will change, or runs it with its read.
     *
     * @return why the step cannot be captured, or null when it was
     */
    private @Nullable String capture(JournalStep journalStep, CapturedStep step, boolean mayRun) throws SQLException {
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
        TableInfo table = support.table(raw, plan.writtenTable());
        step.table = table;
        if (!table.hasKey()) {
            return "table " + plan.writtenTable()
                    + " has no primary key, so its rows cannot be identified for a revert";
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
                executeInsertReturning(step, parameters);
            } else if (!write.generatedKeys()) {
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
        String select = plan.rowsSelect();
        int[] selectParameters = plan.parameters();
        List<String> afterColumns = null;
        if (plan.operation() == CapturePlan.Operation.UPDATE) {
            step.columns = PlanColumns.updateColumns(plan, table);
            if (step.columns == null) {
                return "a column it sets is not a column of " + plan.writtenTable();
            }
        }
        if (mayRun
                && !write.generatedKeys()
                && plan.rewrite() != null
                && support.dialect(raw) == Dialect.POSTGRESQL
                && PlanColumns.allReplayable(parameters, plan.rewrite().parameters())) {
            executeWithRead(step, parameters);
            return null;
        }
        if (plan.operation() == CapturePlan.Operation.UPDATE) {
            List<String> columns =
                    Objects.requireNonNull(step.columns, "an UPDATE step's columns are resolved before its SELECT");
            StringBuilder list = new StringBuilder(support.dialect(raw).columnList(columns));
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
        readBefore(step, new BeforeRead(select, selectParameters, afterColumns), parameters);
        return null;
    }

    /**
     * The read of the rows a write will change.
     *
     * @param sql the SELECT (without its lock clause)
     * @param indexes the write's parameter each parameter of the SELECT is bound from, in order
     * @param afterColumns the columns whose after-values follow the row's columns in the result (evaluated SET
     *     expressions), or null
     */
    @SuppressWarnings("ArrayRecordComponent") // indexes: read in order once, never compared
    private record BeforeRead(
            String sql, int[] indexes, @Nullable List<String> afterColumns) {}

    /** Runs the step's UPDATE or DELETE with its read, in one statement ({@link ReturningCapture}). */
    private void executeWithRead(CapturedStep step, @Nullable ParameterSource parameters) throws SQLException {
        CapturePlan plan = step.plan();
        CapturePlan.Rewrite parts = plan.requiredRewrite();
        List<String> afterColumns = null;
        String sql;
        if (plan.operation() == CapturePlan.Operation.UPDATE) {
            List<String> columns = step.columns;
            if (columns == null) {
                throw new IllegalStateException("jobguard: an UPDATE step without its columns; statement: "
                        + SqlText.shorten(step.statementSql));
            }
            afterColumns = PlanColumns.setColumns(plan, step.table());
            sql = ReturningCapture.update(parts, step.table(), columns, afterColumns);
        } else {
            sql = ReturningCapture.delete(parts);
        }
        try (PreparedStatement statement = raw.prepareStatement(sql)) {
            replay(parameters, parts.parameters(), statement);
            if (timeout > 0) {
                statement.setQueryTimeout(timeout);
            }
            statement.setFetchSize(EntryWriter.CHUNK);
            try (ResultSet result = statement.executeQuery()) {
                journalRows(result, step, afterColumns);
            }
        }
        step.executed = true;
    }

    /** Runs the step's INSERT returning its new rows' keys ({@link ReturningCapture#insert}). */
    private void executeInsertReturning(CapturedStep step, @Nullable ParameterSource parameters) throws SQLException {
        CapturePlan.Rewrite parts = step.plan().requiredRewrite();
        String sql = ReturningCapture.insert(parts, step.table(), support.dialect(raw));
        try (PreparedStatement statement = raw.prepareStatement(sql)) {
            replay(parameters, parts.parameters(), statement);
            if (timeout > 0) {
                statement.setQueryTimeout(timeout);
            }
            try (ResultSet result = statement.executeQuery()) {
                step.insertedKeys = InsertKeys.fromKeyColumns(result, step.table());
            }
        }
        step.executed = true;
    }

    /** Reads the rows a write will change and journals them. */
    private void readBefore(CapturedStep step, BeforeRead read, @Nullable ParameterSource parameters)
            throws SQLException {
        Dialect dialect = support.dialect(raw);
        try (PreparedStatement select = raw.prepareStatement(read.sql() + dialect.lockClause())) {
            int[] indexes = read.indexes();
            for (int k = 0; k < indexes.length; k++) {
                replayable(parameters).bind(indexes[k], select, k + 1);
            }
            if (timeout > 0) {
                select.setQueryTimeout(timeout);
            }
            // PostgreSQL reads through a cursor (the write's transaction is open), H2 by pages: the rows are
            // journaled a chunk at a time while the result is read
            select.setFetchSize(EntryWriter.CHUNK);
            try (ResultSet result = select.executeQuery()) {
                journalRows(result, step, read.afterColumns());
            }
        }
    }

    /** Binds the statement's parameters 1 to {@code count} again from the write's. */
    private static void replay(@Nullable ParameterSource parameters, int count, PreparedStatement statement)
            throws SQLException {
        for (int k = 1; k <= count; k++) {
            replayable(parameters).bind(k, statement, k);
        }
    }

    /** The write's parameters, where the capture checked that the ones it binds again are replayable. */
    private static ParameterSource replayable(@Nullable ParameterSource parameters) {
        if (parameters == null) {
            throw new IllegalStateException("jobguard: a parameter to bind again, and the write has none");
        }
        return parameters;
    }

    /**
     * Journals the rows of a read, a chunk at a time: key, before-image, and the after-image when the after-values
     * follow the row's columns; an UPDATE's entries without one get it read back once the write ran.
     */
    private void journalRows(ResultSet result, CapturedStep step, @Nullable List<String> afterColumns)
            throws SQLException {
        TableInfo table = step.table();
        int rowColumns = result.getMetaData().getColumnCount() - (afterColumns == null ? 0 : afterColumns.size());
        RowReader reader = new RowReader(result, table, run.journal(), rowColumns);
        String operation = step.plan().operation().name();
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
        step.readBack = afterColumns == null && step.plan().operation() == CapturePlan.Operation.UPDATE;
    }
}
