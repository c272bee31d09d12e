package dev.jobguard.journal;

import dev.jobguard.Trip;
import dev.jobguard.run.RunContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The journal of one connection: reads what each write of a journaling run is about to change (or runs the write
 * with its read), and keeps the entries until the transaction commits, when {@link PendingEntries} writes them to
 * {@code jobguard_change} in that same transaction. A rollback drops the entries with the changes. Internal to
 * jobguard; used by one connection at a time.
 */
public final class ConnectionJournal {

    private final Journaling support;
    private final PendingEntries pending = new PendingEntries();

    public ConnectionJournal(Journaling support) {
        this.support = support;
    }

    /** What a write will change, read before it executes. */
    public final class Capture {
        private final RunContext run;
        private final List<Step> steps;

        private Capture(RunContext run, List<Step> steps) {
            this.run = run;
            this.steps = steps;
        }

        /**
         * Whether the journal ran the write itself, with its read ({@link #before(Connection, RunContext, List,
         * boolean, Statement)}): the job's statement must not run, and {@link #updateCount} is its result.
         */
        public boolean executed() {
            return steps.size() == 1 && steps.get(0).executed;
        }

        /** The rows the write the journal ran changed. */
        public long updateCount() {
            Step step = steps.get(0);
            return step.insertedKeys != null ? step.insertedKeys.size() : step.before.size();
        }

        /**
         * A batch failed part-way in a transaction that goes on (the job's own, or a sandbox). When the driver
         * reported each entry (a count, or {@code EXECUTE_FAILED} for a statement that failed and so changed
         * nothing), the entries that took effect are journaled; otherwise which did is unknown, so each of its tables
         * gets a gap entry, and the run's revert is partial.
         *
         * @param counts the failure's update counts, one per batch entry when the driver reported them all
         */
        public void failedPartWay(long[] counts) {
            if (reportsEachStep(counts)) {
                for (int i = 0; i < steps.size(); i++) {
                    if (counts[i] == Statement.EXECUTE_FAILED) {
                        Step step = steps.get(i);
                        step.before = List.of();
                        step.insertedKeys = List.of();
                    }
                }
                try {
                    after(null); // no generated keys to read: nothing here talks to the database
                    return;
                } catch (SQLException unexpected) {
                    // fall through to the gap
                }
            }
            Set<String> tables = new LinkedHashSet<>();
            for (Step step : steps) {
                if (step.gap == null && tables.add(step.tableName == null ? "?" : step.tableName)) {
                    gapAfterWrite(step, "a batch failed part-way; the entries that took effect were not journaled");
                }
            }
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
        private void gapAfterWrite(Step step, String why) {
            pending.addGap(run, step.table, gapText(step.statementSql, why));
            run.journalGap(step.tableName, step.statementSql, why);
        }

        /**
         * The write succeeded: its entries join the transaction's journal.
         *
         * @param generatedKeys the driver's generated keys of an INSERT, when the statement asked for them; else null
         */
        public void after(ResultSet generatedKeys) throws SQLException {
            List<List<String>> generated = null;
            int nextGenerated = 0;
            for (Step step : steps) {
                if (step.gap != null) {
                    pending.addGap(run, step.table, step.gap);
                    continue;
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
                    for (List<String> key : keys) {
                        pending.addInsert(run, step.table, key);
                    }
                } else {
                    for (Row row : step.before) {
                        pending.addChange(
                                run,
                                step.table,
                                step.plan.operation().name(),
                                row.key,
                                row.image,
                                step.columns,
                                row.after);
                    }
                }
            }
        }
    }

    private record Row(List<String> key, String image, String after) {}

    private static final class Step {
        CapturePlan plan;
        TableInfo table;
        String tableName;
        String statementSql;
        List<Row> before = List.of();
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
     * @param job the job's statement, whose query timeout the journal's reads keep; null when unknown
     * @param mayExecute the caller takes an update count from the journal: it may run the write (never for a batch or
     *     generated keys)
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
        boolean mayRun = mayExecute && steps.size() == 1;
        for (JournalStep journalStep : steps) {
            Step step = new Step();
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
            captured.add(step);
        }
        return new Capture(run, captured);
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
                    && allReplayable(parameters, plan.rewrite().parameters())) {
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
                if (key.name().equalsIgnoreCase(unquote(set))) {
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
            step.columns = updateColumns(plan, table);
            if (step.columns == null) {
                return "a column it sets is not a column of " + plan.table();
            }
        }
        if (mayRun
                && !generatedKeys
                && plan.rewrite() != null
                && support.dialect(raw) == JournalDialect.POSTGRESQL
                && allReplayable(parameters, plan.rewrite().parameters())) {
            executeWithRead(raw, run, step, parameters, timeout);
            return null;
        }
        if (plan.operation() == CapturePlan.Operation.UPDATE) {
            StringBuilder list = new StringBuilder(support.dialect(raw).columnList(step.columns));
            List<String> stored = plan.computesAfter() && allReplayable(parameters, plan.setParameters())
                    ? asStored(plan, table)
                    : null;
            if (stored != null) {
                // the SELECT also evaluates the SET expressions on each row, cast as the columns store them: the
                // after-image without a read-back
                afterColumns = setColumns(plan, table);
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
        step.before = readBefore(raw, run, select, selectParameters, table, afterColumns, parameters, timeout);
        return null;
    }

    /** Runs the step's UPDATE or DELETE with its read, in one statement ({@link ReturningCapture}). */
    private void executeWithRead(Connection raw, RunContext run, Step step, ParameterSource parameters, int timeout)
            throws SQLException {
        CapturePlan plan = step.plan;
        List<String> afterColumns = null;
        String sql;
        if (plan.operation() == CapturePlan.Operation.UPDATE) {
            afterColumns = setColumns(plan, step.table);
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
            try (ResultSet result = statement.executeQuery()) {
                step.before = readRows(result, run, step.table, afterColumns);
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

    /** Whether each of the first {@code count} parameters was bound and can be bound again. */
    private static boolean allReplayable(ParameterSource parameters, int count) {
        for (int index = 1; index <= count; index++) {
            if (parameters == null || !parameters.replayable(index)) {
                return false;
            }
        }
        return true;
    }

    /**
     * The UPDATE's SET expressions as their columns store them ({@link Column#asStored}), or null when a column has
     * no exact cast: its after-image is then read back from the row.
     */
    private static List<String> asStored(CapturePlan plan, TableInfo table) {
        List<String> stored = new ArrayList<>(plan.setColumns().size());
        for (int i = 0; i < plan.setColumns().size(); i++) {
            String expression = table.column(unquote(plan.setColumns().get(i)))
                    .asStored(plan.afterExpressions().get(i));
            if (expression == null) {
                return null;
            }
            stored.add(expression);
        }
        return stored;
    }

    /**
     * The columns an UPDATE sets, one per SET column in its order, as the table names them (each is known: {@link
     * #updateColumns} checked).
     */
    private static List<String> setColumns(CapturePlan plan, TableInfo table) {
        List<String> names = new ArrayList<>(plan.setColumns().size());
        for (String set : plan.setColumns()) {
            names.add(table.column(unquote(set)).name());
        }
        return names;
    }

    /**
     * The key columns, the columns an UPDATE sets and those the database sets on every UPDATE ({@link
     * Column#autoUpdated()}), as the table names them; null when a SET column is unknown.
     */
    private static List<String> updateColumns(CapturePlan plan, TableInfo table) {
        List<String> columns = new ArrayList<>();
        for (Column key : table.key()) {
            columns.add(key.name());
        }
        for (String set : plan.setColumns()) {
            Column column = table.column(unquote(set));
            if (column == null) {
                return null;
            }
            if (!columns.contains(column.name())) {
                columns.add(column.name());
            }
        }
        for (Column column : table.columns()) {
            if (column.autoUpdated() && !columns.contains(column.name())) {
                columns.add(column.name());
            }
        }
        return List.copyOf(columns);
    }

    /**
     * Reads the rows a write will change.
     *
     * @param afterColumns the columns whose after-values follow the row's columns in the result (evaluated SET
     *     expressions), or null
     * @param timeout the job statement's query timeout in seconds, 0 for none
     */
    private List<Row> readBefore(
            Connection raw,
            RunContext run,
            String sql,
            int[] indexes,
            TableInfo table,
            List<String> afterColumns,
            ParameterSource parameters,
            int timeout)
            throws SQLException {
        JournalDialect dialect = support.dialect(raw);
        try (PreparedStatement select = raw.prepareStatement(sql + dialect.lockClause())) {
            for (int k = 0; k < indexes.length; k++) {
                parameters.bind(indexes[k], select, k + 1);
            }
            if (timeout > 0) {
                select.setQueryTimeout(timeout);
            }
            try (ResultSet result = select.executeQuery()) {
                return readRows(result, run, table, afterColumns);
            }
        }
    }

    /** The rows of a read: key, image, and the after-image when the after-values follow the row's columns. */
    private static List<Row> readRows(ResultSet result, RunContext run, TableInfo table, List<String> afterColumns)
            throws SQLException {
        List<Row> rows = new ArrayList<>();
        int rowColumns = result.getMetaData().getColumnCount() - (afterColumns == null ? 0 : afterColumns.size());
        RowReader reader = new RowReader(result, table, run.journal(), rowColumns);
        while (result.next()) {
            List<String> key = reader.key();
            String after = afterColumns == null ? null : reader.evaluatedImage(key, afterColumns);
            rows.add(new Row(key, reader.image(), after));
        }
        return rows;
    }

    /** Whether entries wait for the transaction's commit. */
    public boolean hasPending() {
        return !pending.isEmpty();
    }

    /** The transaction rolled back: its entries go with it. */
    public void discard() {
        pending.clear();
    }

    /**
     * Writes the waiting entries in the connection's transaction, just before it commits ({@link
     * PendingEntries#write}).
     */
    public void flush(Connection raw) throws SQLException {
        pending.write(raw, support);
    }

    private static String gapText(String sql, String why) {
        return why + "; statement: " + dev.jobguard.sql.SqlText.shorten(sql);
    }

    private static String unquote(String name) {
        if (name.length() > 1 && (name.charAt(0) == '"' || name.charAt(0) == '`')) {
            return name.substring(1, name.length() - 1);
        }
        return name;
    }
}
