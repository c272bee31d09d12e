package dev.jobguard.internal.run;

import static dev.jobguard.JobGuard.MDC_JOB;
import static dev.jobguard.JobGuard.MDC_RUN;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.Operation;
import dev.jobguard.RowLimitExceededException;
import dev.jobguard.StatementSummary;
import dev.jobguard.Trip;
import dev.jobguard.TripReason;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.internal.sql.SqlText;
import dev.jobguard.internal.sql.StatementKind;
import dev.jobguard.internal.sql.TableNames;
import dev.jobguard.journal.ChangeJournal;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.MDC;

/**
 * The state of one guarded run: what it has changed, the limits in force, whether it tripped, and the connections
 * whose transactions it owns. Bound to the threads that run the job; internal to jobguard.
 */
public final class RunContext {

    /** Most distinct statements kept for the report. */
    static final int MAX_STATEMENT_SUMMARIES = 100;

    /** The table under which writes with no known target (CALL, unreadable SQL) are counted. */
    public static final String UNKNOWN_TABLE = "<unknown>";

    /** The statement text under which {@code GuardContext.recordChanges} rows are reported. */
    static final String EXTERNAL_CHANGES = "(changes recorded by the job through GuardContext.recordChanges)";

    /** The longest a connection of a dry or atomic run waits for a lock, unless set otherwise. */
    public static final Duration DEFAULT_SANDBOX_LOCK_TIMEOUT = Duration.ofSeconds(5);

    private static final ThreadLocal<RunContext> CURRENT = new ThreadLocal<>();

    private final String runId;
    private final GuardPolicy policy;
    private final RunLimits limits;
    private final TablePatterns ignoredTables;
    private final Set<RunParticipant> participants = ConcurrentHashMap.newKeySet();

    // guarded by this
    private long rowsChanged;
    private long rowsCommitted;
    private long rowsRolledBack;
    private long statements;
    private boolean lowerBound;
    private final Map<String, long[]> rowsByTable = new HashMap<>();
    private final Map<SqlStatementInfo, long[]> statementStats = new LinkedHashMap<>();
    private final Map<String, Trip> wouldTrips = new LinkedHashMap<>();
    private final List<String> skippedSideEffects = new ArrayList<>();

    private final List<String> journalGaps = new ArrayList<>();
    /** Writes that could cross a limit but were not counted before they ran, and why. */
    private final List<String> notPreflighted = new ArrayList<>();
    /** The same, by statement, for its summary. */
    private final Map<SqlStatementInfo, String> notPreflightedWhy = new HashMap<>();

    private volatile Trip trip;
    private volatile boolean finished;

    /** The journal the run's changes go to, or null when the run keeps none (journal off, or a dry run). */
    private final ChangeJournal journal;

    private final AtomicLong journalSeq = new AtomicLong();

    /** Rows this run counted on each thread: a connection learns a write's rows from the difference. */
    private final ThreadLocal<long[]> countedOnThread = ThreadLocal.withInitial(() -> new long[1]);

    /**
     * Sandboxed connections the job closed on each thread, per DataSource, kept for the thread's next
     * {@code getConnection()} from that DataSource until the run ends.
     */
    @SuppressWarnings("ThreadLocalUsage") // one per run on purpose: what each thread of this run closed
    private final ThreadLocal<IdentityHashMap<Object, Deque<RunParticipant>>> idleOnThread = new ThreadLocal<>();

    /** Numbers the connections of the run's sandbox, for messages. */
    private final AtomicInteger sandboxConnections = new AtomicInteger();

    /** The longest a sandboxed connection of this run waits for a lock. */
    private final Duration sandboxLockTimeout;

    public RunContext(String runId, GuardPolicy policy, RunLimits limits, TablePatterns ignoredTables) {
        this(runId, policy, limits, ignoredTables, null);
    }

    /** @param journal where the run's change journal goes; used only when the policy asks for a journal */
    public RunContext(
            String runId, GuardPolicy policy, RunLimits limits, TablePatterns ignoredTables, ChangeJournal journal) {
        this(runId, policy, limits, ignoredTables, journal, DEFAULT_SANDBOX_LOCK_TIMEOUT);
    }

    /**
     * @param journal where the run's change journal goes; used only when the policy asks for a journal
     * @param sandboxLockTimeout the longest a connection of a dry or atomic run waits for a lock
     */
    public RunContext(
            String runId,
            GuardPolicy policy,
            RunLimits limits,
            TablePatterns ignoredTables,
            ChangeJournal journal,
            Duration sandboxLockTimeout) {
        this.runId = runId;
        this.policy = policy;
        this.limits = limits;
        this.ignoredTables = ignoredTables;
        this.sandboxLockTimeout = sandboxLockTimeout;
        this.journal = policy.journal() && policy.mode() != GuardMode.DRY_RUN
                ? (journal != null ? journal : ChangeJournal.builder(null).build())
                : null;
    }

    /** The run bound to the current thread, or null outside a guarded run. */
    public static RunContext current() {
        return CURRENT.get();
    }

    /**
     * Binds this run to the current thread until the returned scope is closed (which restores the previous one), and
     * puts the MDC keys {@code jobguard.job} and {@code jobguard.run} for the log lines of a helper thread.
     */
    public Scope attach() {
        RunContext previous = CURRENT.get();
        String previousJob = MDC.get(MDC_JOB);
        String previousRun = MDC.get(MDC_RUN);
        CURRENT.set(this);
        MDC.put(MDC_JOB, jobName());
        MDC.put(MDC_RUN, runId);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
            restoreMdc(MDC_JOB, previousJob);
            restoreMdc(MDC_RUN, previousRun);
        };
    }

    private static void restoreMdc(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }

    /** Undoes {@link #attach()}. */
    @FunctionalInterface
    public interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    public String runId() {
        return runId;
    }

    public String jobName() {
        return policy.jobName();
    }

    public GuardPolicy policy() {
        return policy;
    }

    public GuardMode mode() {
        return policy.mode();
    }

    public RunLimits limits() {
        return limits;
    }

    public boolean isDryRun() {
        return policy.mode() == GuardMode.DRY_RUN;
    }

    /** Whether the guard alone commits: dry run, or an atomic run. */
    public boolean sandboxed() {
        return isDryRun() || policy.atomic();
    }

    /** Whether crossing a limit stops the run (ENFORCE and DRY_RUN) rather than only being reported (OBSERVE). */
    public boolean enforcing() {
        return policy.mode() != GuardMode.OBSERVE;
    }

    /**
     * Whether an auto-commit write must run in its own transaction: so that a trip can roll it back, or so that its
     * journal entries commit with it.
     */
    public boolean needsStatementTransactions() {
        return (enforcing() && (limits.any() || policy.tripOnUnknownRowCount())) || journal != null;
    }

    /** The journal this run's changes go to, or null when it keeps none. */
    public ChangeJournal journal() {
        return journal;
    }

    /** The next position in the run's journal. */
    public long nextJournalSeq() {
        return journalSeq.incrementAndGet();
    }

    /**
     * Reserves {@code count} consecutive positions in the run's journal (a chunk of entries written at once, which
     * the journal may have to find again by their positions); returns the first.
     */
    public long reserveJournalSeqs(int count) {
        return journalSeq.getAndAdd(count) + 1;
    }

    /**
     * Notes a write the journal cannot capture. With {@code tripOnJournalGap} an enforcing run trips (the write must
     * then not execute).
     *
     * @return the trip, or null when the gap is only reported
     */
    public Trip journalGap(String table, String sql, String why) {
        synchronized (this) {
            if (journalGaps.size() < MAX_STATEMENT_SUMMARIES) {
                journalGaps.add((table == null ? "" : table + ": ") + why + "; statement: " + SqlText.shorten(sql));
            }
        }
        if (!policy.tripOnJournalGap()) {
            return null;
        }
        Trip gap = new Trip(TripReason.JOURNAL_GAP, 0, 0, table, sql);
        return tripped(gap) ? gap : null;
    }

    /**
     * A write that could cross a limit in force was not counted before it ran (no preflight query, or a parameter that
     * cannot be replayed): it is counted once it ran, as always. Kept once per SQL text, for the report.
     */
    public synchronized void notPreflighted(SqlStatementInfo info, String why) {
        String entry = SqlText.shorten(info.sql()) + " (" + why + ")";
        if (notPreflighted.size() < MAX_STATEMENT_SUMMARIES && !notPreflighted.contains(entry)) {
            notPreflighted.add(entry);
        }
        if (notPreflightedWhy.size() < MAX_STATEMENT_SUMMARIES) {
            notPreflightedWhy.putIfAbsent(info, why);
        }
    }

    /** The writes not counted before they ran, with why ({@link #notPreflighted(SqlStatementInfo, String)}). */
    public synchronized List<String> notPreflighted() {
        return List.copyOf(notPreflighted);
    }

    /** The writes the journal could not capture: the run's revert does not cover them. */
    public synchronized List<String> journalGaps() {
        return List.copyOf(journalGaps);
    }

    public boolean ignores(String table) {
        return ignoredTables.matches(table);
    }

    public Trip trip() {
        return trip;
    }

    public boolean isTripped() {
        return trip != null;
    }

    public boolean isFinished() {
        return finished;
    }

    /** Registers a connection whose transaction the run settles at its end; idempotent. */
    public void enlist(RunParticipant participant) {
        participants.add(participant);
        Trip current = trip;
        if (current != null) {
            participant.tripped(this);
        }
    }

    /** The connections whose transactions the run settles at its end. */
    public List<RunParticipant> participants() {
        return List.copyOf(participants);
    }

    /** The longest a connection of this run's sandbox (dry or atomic run) waits for a lock. */
    public Duration sandboxLockTimeout() {
        return sandboxLockTimeout;
    }

    /** The next number of a connection joining the run's sandbox (1, 2, ...). */
    public int nextSandboxConnection() {
        return sandboxConnections.incrementAndGet();
    }

    /**
     * Keeps a sandboxed connection the job closed on this thread, for the thread's next {@link #takeIdle} from the
     * same {@code source}.
     */
    public void keepIdle(Object source, RunParticipant connection) {
        IdentityHashMap<Object, Deque<RunParticipant>> idle = idleOnThread.get();
        if (idle == null) {
            idle = new IdentityHashMap<>(2);
            idleOnThread.set(idle);
        }
        idle.computeIfAbsent(source, s -> new ArrayDeque<>(2)).push(connection);
    }

    /**
     * A connection from {@code source} the job closed on this thread while the run goes on, taken out of the idle
     * ones, or null.
     */
    public RunParticipant takeIdle(Object source) {
        IdentityHashMap<Object, Deque<RunParticipant>> idle = idleOnThread.get();
        if (idle == null || finished) {
            return null;
        }
        Deque<RunParticipant> connections = idle.get(source);
        return connections == null ? null : connections.poll();
    }

    /**
     * Checks a write before it executes: refuses it when the run already tripped or ended, and trips on a
     * whole-table change (TRUNCATE, DROP TABLE) of a limited table (a hard limit, or the anomaly limit of a job with a
     * baseline).
     */
    public void checkBeforeWrite(SqlStatementInfo info) throws SQLException {
        if (finished) {
            throw new SQLException("jobguard: job '" + jobName() + "': run " + runId
                    + " has ended; a write from a thread it left running was refused. Wait for helper threads"
                    + " before the job returns.");
        }
        Trip current = trip;
        if (current != null && enforcing()) {
            throw exception(current, "The run already tripped; no further write of this run is allowed.");
        }
        StatementKind kind = info.kind();
        if ((kind == StatementKind.TRUNCATE || kind == StatementKind.DROP_TABLE) && !policy.allowTruncate()) {
            long limit = wholeTableLimit(info.table());
            if (limit != RunLimits.NONE) {
                Trip whole = new Trip(TripReason.WHOLE_TABLE_CHANGE, limit, -1, info.table(), info.sql());
                if (tripped(whole)) {
                    throw exception(whole, "The statement was not executed.");
                }
            }
        }
    }

    private long wholeTableLimit(String table) {
        long tableLimit = limits.tableLimit(table);
        if (tableLimit != RunLimits.NONE) {
            return tableLimit;
        }
        if (limits.maxRowsPerStatement() != RunLimits.NONE) {
            return limits.maxRowsPerStatement();
        }
        if (limits.maxRowsChanged() != RunLimits.NONE) {
            return limits.maxRowsChanged();
        }
        long anomalyTable = limits.anomalyTableLimit(table);
        return anomalyTable != RunLimits.NONE ? anomalyTable : limits.anomalyMaxRowsChanged();
    }

    /**
     * Counts one execution of a write (one batch entry, one result of a multi-statement string).
     *
     * @param rows rows the driver reported (negative values count as 0)
     * @param countUnknown the driver said "at least one row, count unknown"; {@code rows} is then a lower bound
     * @return the trip this execution caused when the run enforces its limits, otherwise null
     */
    @SuppressWarnings("EnumOrdinal") // counters indexed by operation, an array per table (the path of every write)
    public synchronized Trip record(SqlStatementInfo info, long rows, boolean countUnknown) {
        long counted = Math.max(rows, 0);
        String table = info.table() == null ? UNKNOWN_TABLE : info.table();
        rowsChanged += counted;
        countedOnThread.get()[0] += counted;
        statements++;
        lowerBound |= countUnknown;
        rowsByTable
                .computeIfAbsent(table, t -> new long[Operation.values().length])[
                info.kind().operation().ordinal()] += counted;
        long[] stat = statementStats.get(info);
        if (stat == null && statementStats.size() < MAX_STATEMENT_SUMMARIES) {
            stat = new long[2];
            statementStats.put(info, stat);
        }
        if (stat != null) {
            stat[0]++;
            stat[1] += counted;
        }
        Trip crossed = check(info, table, counted, countUnknown);
        return crossed != null && tripped(crossed) ? crossed : null;
    }

    /**
     * Counts a write whose rows the driver did not report at all (H2 reports only the first result of a
     * multi-statement string). Its figure cannot be checked, so it trips an enforcing run that has any limit.
     *
     * @return the trip it caused, or null
     */
    public synchronized Trip recordUnreported(SqlStatementInfo info) {
        statements++;
        lowerBound = true;
        if (!limits.any() && !policy.tripOnUnknownRowCount()) {
            return null;
        }
        Trip crossed = new Trip(TripReason.UNKNOWN_ROW_COUNT, 0, -1, info.table(), info.sql());
        return tripped(crossed) ? crossed : null;
    }

    /** Counts rows changed outside JDBC ({@code GuardContext.recordChanges}); returns the trip it caused, or null. */
    public Trip recordExternal(String table, long rows) {
        return record(
                new SqlStatementInfo(
                        StatementKind.UNKNOWN, TableNames.normalize(table), false, false, true, EXTERNAL_CHANGES),
                rows,
                false);
    }

    /**
     * The most rows the statement may still change before a limit in force crosses (per statement, run total, its
     * table's, the anomaly limits), or {@link RunLimits#NONE} when no limit bounds it. For the preflight: a statement
     * that matches more rows than this would trip once it ran.
     *
     * @param pendingTotal rows the earlier entries of its batch, not yet run, would change (0 outside a batch)
     * @param pendingTable of those, the rows in this statement's table
     */
    public synchronized long rowsLeft(SqlStatementInfo info, long pendingTotal, long pendingTable) {
        String table = info.table() == null ? UNKNOWN_TABLE : info.table();
        long changed = rowsChanged + pendingTotal;
        long left = RunLimits.NONE;
        left = tighter(left, limits.maxRowsPerStatement());
        if (limits.maxRowsChanged() != RunLimits.NONE) {
            left = tighter(left, limits.maxRowsChanged() - changed);
        }
        if (limits.anomalyMaxRowsChanged() != RunLimits.NONE) {
            left = tighter(left, limits.anomalyMaxRowsChanged() - changed);
        }
        long tableLimit = limits.tableLimit(info.table());
        long anomalyTable = limits.anomalyTableLimit(info.table());
        if (tableLimit != RunLimits.NONE || anomalyTable != RunLimits.NONE) {
            long tableRows = tableRows(table) + pendingTable;
            if (tableLimit != RunLimits.NONE) {
                left = tighter(left, tableLimit - tableRows);
            }
            if (anomalyTable != RunLimits.NONE) {
                left = tighter(left, anomalyTable - tableRows);
            }
        }
        return left == RunLimits.NONE ? left : Math.max(left, 0);
    }

    private static long tighter(long left, long limit) {
        if (limit == RunLimits.NONE) {
            return left;
        }
        return left == RunLimits.NONE ? limit : Math.min(left, limit);
    }

    /**
     * The statement, not yet run, matches at least {@code matching} rows, more than {@link #rowsLeft} allows: the trip
     * it would cause once it ran, found before it runs. In OBSERVE a would-trip, and null: the statement runs. Nothing
     * is counted: the statement changed nothing. {@code pendingTotal} and {@code pendingTable}: as for {@link
     * #rowsLeft}.
     */
    public synchronized Trip refusedBeforeExecution(
            SqlStatementInfo info, long matching, long pendingTotal, long pendingTable) {
        String table = info.table() == null ? UNKNOWN_TABLE : info.table();
        Trip crossed = crossing(
                info,
                matching,
                rowsChanged + pendingTotal + matching,
                () -> tableRows(table) + pendingTable + matching);
        if (crossed == null) {
            return null;
        }
        crossed = crossed.refusedBeforeExecution();
        return tripped(crossed) ? crossed : null;
    }

    private Trip check(SqlStatementInfo info, String table, long rows, boolean countUnknown) {
        if (countUnknown && policy.tripOnUnknownRowCount()) {
            return new Trip(TripReason.UNKNOWN_ROW_COUNT, 0, rows, info.table(), info.sql());
        }
        return crossing(info, rows, rowsChanged, () -> tableRows(table));
    }

    /** The first limit crossed by a statement of {@code rows} that brings the run to {@code total} rows, or null. */
    private Trip crossing(SqlStatementInfo info, long rows, long runTotal, java.util.function.LongSupplier tableTotal) {
        long rowsChanged = runTotal;
        long perStatement = limits.maxRowsPerStatement();
        if (perStatement != RunLimits.NONE && rows > perStatement) {
            return new Trip(TripReason.MAX_ROWS_PER_STATEMENT, perStatement, rows, info.table(), info.sql());
        }
        long total = limits.maxRowsChanged();
        if (total != RunLimits.NONE && rowsChanged > total) {
            return new Trip(TripReason.MAX_ROWS_CHANGED, total, rowsChanged, info.table(), info.sql());
        }
        long tableLimit = limits.tableLimit(info.table());
        long tableRows = tableLimit != RunLimits.NONE || limits.baseline() != null ? tableTotal.getAsLong() : 0;
        if (tableLimit != RunLimits.NONE && tableRows > tableLimit) {
            return new Trip(TripReason.TABLE_LIMIT, tableLimit, tableRows, info.table(), info.sql());
        }
        long anomalyTotal = limits.anomalyMaxRowsChanged();
        if (anomalyTotal != RunLimits.NONE && rowsChanged > anomalyTotal) {
            return new Trip(TripReason.ANOMALY, anomalyTotal, rowsChanged, null, info.sql());
        }
        long anomalyTable = limits.anomalyTableLimit(info.table());
        if (anomalyTable != RunLimits.NONE && tableRows > anomalyTable) {
            return new Trip(TripReason.ANOMALY, anomalyTable, tableRows, info.table(), info.sql());
        }
        return null;
    }

    /**
     * The rows changed in a table under every spelling the run wrote it with: {@code invoices}, {@code
     * public.invoices} and {@code PUBLIC."INVOICES"} are one table to its limit (names with different schemas are not).
     */
    private long tableRows(String table) {
        long rows = 0;
        long[] only = rowsByTable.size() == 1 ? rowsByTable.get(table) : null;
        if (only != null) {
            for (long count : only) {
                rows += count;
            }
            return rows;
        }
        for (Map.Entry<String, long[]> entry : rowsByTable.entrySet()) {
            if (TableNames.sameTable(table, entry.getKey())) {
                for (long count : entry.getValue()) {
                    rows += count;
                }
            }
        }
        return rows;
    }

    /**
     * Marks the run tripped (enforcing) or notes a would-trip (observe). Returns whether the caller must stop the
     * statement.
     */
    private synchronized boolean tripped(Trip crossed) {
        if (!enforcing()) {
            wouldTrips.putIfAbsent(crossed.reason() + "/" + crossed.table(), crossed);
            return false;
        }
        if (trip == null) {
            trip = crossed;
            for (RunParticipant participant : participants) {
                participant.tripped(this);
            }
        }
        return true;
    }

    /** The exception a statement or commit of this run throws for a trip. */
    public RowLimitExceededException exception(Trip crossed, String detail) {
        return new RowLimitExceededException(jobName(), crossed, detail);
    }

    public synchronized void skippedSideEffect(String name) {
        skippedSideEffects.add(name);
    }

    /**
     * Ends the run: no further write is accepted, and each enlisted connection commits (when {@code commit}) or
     * rolls back what the guard owns. Every participant is settled even when one fails.
     *
     * @return the first failure, with the others suppressed, or null
     */
    public SQLException finish(boolean commit) {
        finished = true;
        SQLException failure = null;
        for (RunParticipant participant : participants) {
            try {
                participant.finish(this, commit);
            } catch (SQLException | RuntimeException e) {
                SQLException wrapped = e instanceof SQLException sql
                        ? sql
                        : new SQLException("jobguard: settling a connection of run " + runId + " failed", e);
                if (failure == null) {
                    failure = wrapped;
                } else {
                    failure.addSuppressed(wrapped);
                }
            }
        }
        participants.clear();
        idleOnThread.remove();
        return failure;
    }

    public synchronized long rowsChanged() {
        return rowsChanged;
    }

    /**
     * Rows this run counted on the calling thread so far. A connection reads it before and after a write to learn the
     * write's rows, whatever other threads of the run count meanwhile.
     */
    public long rowsCountedOnThisThread() {
        return countedOnThread.get()[0];
    }

    /** Rows of this run's writes whose transaction committed. */
    public synchronized void committed(long rows) {
        rowsCommitted += rows;
    }

    /** Rows of this run's writes whose transaction, or statement, was rolled back. */
    public synchronized void rolledBack(long rows) {
        rowsRolledBack += rows;
    }

    /** Rows of the run's writes that committed (in the database when the run ended). */
    public synchronized long rowsCommitted() {
        return rowsCommitted;
    }

    /** Rows of the run's writes that were rolled back: by a trip, the job, the guard's dry run, a failure. */
    public synchronized long rowsRolledBack() {
        return rowsRolledBack;
    }

    public synchronized long statementsExecuted() {
        return statements;
    }

    public synchronized boolean rowCountIsLowerBound() {
        return lowerBound;
    }

    /** Rows changed per table and operation, tables sorted by name, operations with no rows left out. */
    @SuppressWarnings("EnumOrdinal") // counters indexed by operation, an array per table (the path of every write)
    public synchronized Map<String, Map<Operation, Long>> rowsByTable() {
        Map<String, Map<Operation, Long>> result = new TreeMap<>();
        rowsByTable.forEach((table, counts) -> {
            Map<Operation, Long> byOperation = new EnumMap<>(Operation.class);
            for (Operation operation : Operation.values()) {
                if (counts[operation.ordinal()] > 0) {
                    byOperation.put(operation, counts[operation.ordinal()]);
                }
            }
            result.put(table, Collections.unmodifiableMap(byOperation));
        });
        return Collections.unmodifiableMap(result);
    }

    public synchronized List<StatementSummary> statementSummaries() {
        List<StatementSummary> result = new ArrayList<>(statementStats.size());
        statementStats.forEach((info, stat) -> result.add(new StatementSummary(
                info.sql(), info.table(), info.kind().operation(), stat[0], stat[1], notPreflightedWhy.get(info))));
        return List.copyOf(result);
    }

    public synchronized List<Trip> wouldTrips() {
        return List.copyOf(wouldTrips.values());
    }

    public synchronized List<String> skippedSideEffects() {
        return List.copyOf(skippedSideEffects);
    }
}
