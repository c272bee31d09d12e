package dev.jobguard.internal.run;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.Operation;
import dev.jobguard.RowLimitExceededException;
import dev.jobguard.StatementSummary;
import dev.jobguard.Trip;
import dev.jobguard.TripReason;
import dev.jobguard.internal.journal.JournalTables;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.internal.sql.StatementKind;
import dev.jobguard.internal.sql.TableNames;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

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

    private static final ThreadLocal<@Nullable RunContext> CURRENT = new ThreadLocal<>();

    private final String runId;
    private final GuardPolicy policy;
    private final RunLimits limits;
    private final LimitCheck check;
    private final TablePatterns ignoredTables;
    private final Set<RunParticipant> participants = ConcurrentHashMap.newKeySet();

    /** Guards {@link #counters} and {@link #notes}: free on the run's thread until another thread uses them. */
    private final OwnerFirstLock lock = new OwnerFirstLock();

    // guarded by lock (the run's thread alone) or by this
    private final RunCounters counters = new RunCounters();
    private final RunNotes notes = new RunNotes();

    private volatile @Nullable Trip trip;
    private volatile boolean finished;

    /** The journal the run's changes go to, or null when the run keeps none (journal off, or a dry run). */
    private final @Nullable JournalTables journal;

    private final AtomicLong journalSeq = new AtomicLong();

    private final SandboxConnections sandbox;

    /** A run whose journal, when its policy keeps one, cannot be read back; its sandbox waits the default for locks. */
    public RunContext(String runId, GuardPolicy policy, RunLimits limits, TablePatterns ignoredTables) {
        this(runId, policy, limits, new RunEnvironment(ignoredTables, null, DEFAULT_SANDBOX_LOCK_TIMEOUT));
    }

    public RunContext(String runId, GuardPolicy policy, RunLimits limits, RunEnvironment environment) {
        this.runId = runId;
        this.policy = policy;
        this.limits = limits;
        this.check = new LimitCheck(limits);
        this.ignoredTables = environment.ignoredTables();
        this.sandbox = new SandboxConnections(environment.sandboxLockTimeout());
        JournalTables given = environment.journal();
        this.journal = policy.journal() && policy.mode() != GuardMode.DRY_RUN
                ? (given != null ? given : JournalTables.DEFAULTS)
                : null;
    }

    /** The run bound to the current thread, or null outside a guarded run. */
    public static @Nullable RunContext current() {
        return CURRENT.get();
    }

    /**
     * Binds this run to the current thread until the returned scope is closed (which restores the previous one), and
     * puts the MDC keys {@code jobguard.job} and {@code jobguard.run} for the log lines of a helper thread.
     */
    public Scope attach() {
        RunContext previous = CURRENT.get();
        CURRENT.set(this);
        Scope mdc = RunMdc.put(jobName(), runId);
        return () -> {
            if (previous == null) {
                CURRENT.remove();
            } else {
                CURRENT.set(previous);
            }
            mdc.close();
        };
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
    public @Nullable JournalTables journal() {
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
    public @Nullable Trip journalGap(@Nullable String table, String sql, String why) {
        Trip gap = new Trip(TripReason.JOURNAL_GAP, 0, 0, table, sql);
        return locked(() -> {
            notes.journalGap(table, sql, why);
            return policy.tripOnJournalGap() && tripped(gap) ? gap : null;
        });
    }

    /**
     * A write that could cross a limit in force was not counted before it ran (no preflight query, or a parameter that
     * cannot be replayed): it is counted once it ran, as always. Kept once per SQL text, for the report.
     */
    public void notPreflighted(SqlStatementInfo info, String why) {
        lockedDo(() -> notes.notPreflighted(info, why));
    }

    /** The writes not counted before they ran, with why ({@link #notPreflighted(SqlStatementInfo, String)}). */
    public List<String> notPreflighted() {
        return locked(notes::notPreflighted);
    }

    /** The writes the journal could not capture: the run's revert does not cover them. */
    public List<String> journalGaps() {
        return locked(notes::journalGaps);
    }

    public boolean ignores(@Nullable String table) {
        return ignoredTables.matches(table);
    }

    public @Nullable Trip trip() {
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
        return sandbox.lockTimeout();
    }

    /** The next number of a connection joining the run's sandbox (1, 2, ...). */
    public int nextSandboxConnection() {
        return sandbox.next();
    }

    /**
     * Keeps a sandboxed connection the job closed on this thread, for the thread's next {@link #takeIdle} from the
     * same {@code source}.
     */
    public void keepIdle(Object source, RunParticipant connection) {
        sandbox.keepIdle(source, connection);
    }

    /**
     * A connection from {@code source} the job closed on this thread while the run goes on, taken out of the idle
     * ones, or null.
     */
    public @Nullable RunParticipant takeIdle(Object source) {
        return finished ? null : sandbox.takeIdle(source);
    }

    /**
     * Checks a write before it executes: refuses it when the run already tripped or ended, and trips on a
     * whole-table change (TRUNCATE, DROP TABLE) of a limited table (a hard limit, or the anomaly limit of a job with a
     * baseline).
     */
    public void checkBeforeWrite(SqlStatementInfo info) throws SQLException {
        if (finished) {
            throw writeAfterEnd();
        }
        Trip current = trip;
        if (current != null && enforcing()) {
            throw exception(current, "The run already tripped; no further write of this run is allowed.");
        }
        StatementKind kind = info.kind();
        if ((kind == StatementKind.TRUNCATE || kind == StatementKind.DROP_TABLE) && !policy.allowTruncate()) {
            checkWholeTableChange(info);
        }
    }

    private SQLException writeAfterEnd() {
        return new SQLException("jobguard: job '" + jobName() + "': run " + runId
                + " has ended; a write from a thread it left running was refused. Wait for helper threads"
                + " before the job returns.");
    }

    /** Trips on a TRUNCATE or DROP TABLE of a table a limit holds. */
    private void checkWholeTableChange(SqlStatementInfo info) throws SQLException {
        long limit = check.wholeTableLimit(info.table());
        if (limit != RunLimits.NONE) {
            Trip whole = new Trip(TripReason.WHOLE_TABLE_CHANGE, limit, -1, info.table(), info.sql());
            if (locked(() -> tripped(whole))) {
                throw exception(whole, "The statement was not executed.");
            }
        }
    }

    /**
     * Counts one execution of a write (one batch entry, one result of a multi-statement string).
     *
     * @param rows rows the driver reported (negative values count as 0)
     * @param countUnknown the driver said "at least one row, count unknown"; {@code rows} is then a lower bound
     * @return the trip this execution caused when the run enforces its limits, otherwise null
     */
    public @Nullable Trip record(SqlStatementInfo info, long rows, boolean countUnknown) {
        // written out rather than through locked(): this runs on every write
        if (lock.enterAsOwner()) {
            try {
                return count(info, rows, countUnknown);
            } finally {
                lock.exitAsOwner();
            }
        }
        lock.share();
        synchronized (this) {
            return count(info, rows, countUnknown);
        }
    }

    private @Nullable Trip count(SqlStatementInfo info, long rows, boolean countUnknown) {
        long counted = Math.max(rows, 0);
        String table = info.table() == null ? UNKNOWN_TABLE : info.table();
        counters.count(info, table, counted, countUnknown);
        Trip crossed = countUnknown && policy.tripOnUnknownRowCount()
                ? new Trip(TripReason.UNKNOWN_ROW_COUNT, 0, counted, info.table(), info.sql())
                : check.crossing(
                        info,
                        counted,
                        counters.rowsChanged(),
                        check.readsTableRows(info.table()) ? counters.tableRows(table) : 0);
        return crossed != null && tripped(crossed) ? crossed : null;
    }

    /**
     * Counts a write whose rows the driver did not report at all (H2 reports only the first result of a
     * multi-statement string). Its figure cannot be checked, so it trips an enforcing run that has any limit.
     *
     * @return the trip it caused, or null
     */
    public @Nullable Trip recordUnreported(SqlStatementInfo info) {
        Trip crossed = new Trip(TripReason.UNKNOWN_ROW_COUNT, 0, -1, info.table(), info.sql());
        return locked(() -> {
            counters.countUnreported();
            if (!limits.any() && !policy.tripOnUnknownRowCount()) {
                return null;
            }
            return tripped(crossed) ? crossed : null;
        });
    }

    /** Counts rows changed outside JDBC ({@code GuardContext.recordChanges}); returns the trip it caused, or null. */
    public @Nullable Trip recordExternal(String table, long rows) {
        return record(
                SqlStatementInfo.of(StatementKind.UNKNOWN, TableNames.normalize(table), true, EXTERNAL_CHANGES),
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
    public long rowsLeft(SqlStatementInfo info, long pendingTotal, long pendingTable) {
        String table = info.table() == null ? UNKNOWN_TABLE : info.table();
        return locked(() -> check.rowsLeft(
                info.table(), counters.rowsChanged() + pendingTotal, () -> counters.tableRows(table) + pendingTable));
    }

    /**
     * The statement, not yet run, matches at least {@code matching} rows, more than {@link #rowsLeft} allows: the trip
     * it would cause once it ran, found before it runs. In OBSERVE a would-trip, and null: the statement runs. Nothing
     * is counted: the statement changed nothing. {@code pendingTotal} and {@code pendingTable}: as for {@link
     * #rowsLeft}.
     */
    public @Nullable Trip refusedBeforeExecution(
            SqlStatementInfo info, long matching, long pendingTotal, long pendingTable) {
        String table = info.table() == null ? UNKNOWN_TABLE : info.table();
        return locked(() -> {
            Trip crossed = check.crossing(
                    info,
                    matching,
                    counters.rowsChanged() + pendingTotal + matching,
                    check.readsTableRows(info.table()) ? counters.tableRows(table) + pendingTable + matching : 0);
            if (crossed == null) {
                return null;
            }
            Trip refused = crossed.refusedBeforeExecution();
            return tripped(refused) ? refused : null;
        });
    }

    /**
     * Marks the run tripped (enforcing) or notes a would-trip (observe). Returns whether the caller must stop the
     * statement. The caller holds the {@link #lock}.
     */
    private boolean tripped(Trip crossed) {
        if (!enforcing()) {
            notes.wouldTrip(crossed);
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

    public void skippedSideEffect(String name) {
        lockedDo(() -> notes.skippedSideEffect(name));
    }

    /**
     * Ends the run: no further write is accepted, and each enlisted connection commits (when {@code commit}) or
     * rolls back what the guard owns. Every participant is settled even when one fails.
     *
     * @return the first failure, with the others suppressed, or null
     */
    public @Nullable SQLException finish(boolean commit) {
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
        sandbox.clear();
        return failure;
    }

    public long rowsChanged() {
        return locked(counters::rowsChanged);
    }

    /**
     * Rows this run counted on the calling thread so far. A connection reads it before and after a write to learn the
     * write's rows, whatever other threads of the run count meanwhile.
     */
    public long rowsCountedOnThisThread() {
        return counters.rowsCountedOnThisThread();
    }

    /** Rows of this run's writes whose transaction committed. */
    public void committed(long rows) {
        lockedDo(() -> counters.committed(rows));
    }

    /** Rows of this run's writes whose transaction, or statement, was rolled back. */
    public void rolledBack(long rows) {
        lockedDo(() -> counters.rolledBack(rows));
    }

    /** Rows of the run's writes that committed (in the database when the run ended). */
    public long rowsCommitted() {
        return locked(counters::rowsCommitted);
    }

    /** Rows of the run's writes that were rolled back: by a trip, the job, the guard's dry run, a failure. */
    public long rowsRolledBack() {
        return locked(counters::rowsRolledBack);
    }

    public long statementsExecuted() {
        return locked(counters::statements);
    }

    public boolean rowCountIsLowerBound() {
        return locked(counters::lowerBound);
    }

    /** Rows changed per table and operation, tables sorted by name, operations with no rows left out. */
    public Map<String, Map<Operation, Long>> rowsByTable() {
        return locked(counters::rowsByTable);
    }

    public List<StatementSummary> statementSummaries() {
        return locked(() -> counters.statementSummaries(notes::whyNotPreflighted));
    }

    public List<Trip> wouldTrips() {
        return locked(notes::wouldTrips);
    }

    public List<String> skippedSideEffects() {
        return locked(notes::skippedSideEffects);
    }

    /** Runs {@code body} holding the {@link #lock}: without the monitor on the run's thread while it is alone. */
    private <T> T locked(Supplier<T> body) {
        if (lock.enterAsOwner()) {
            try {
                return body.get();
            } finally {
                lock.exitAsOwner();
            }
        }
        lock.share();
        synchronized (this) {
            return body.get();
        }
    }

    private void lockedDo(Runnable body) {
        locked(() -> {
            body.run();
            return this;
        });
    }
}
