package dev.jobguard;

import dev.jobguard.anomaly.Baseline;
import dev.jobguard.internal.sql.TableNames;
import dev.jobguard.journal.RevertReport;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * What one guarded run did: its outcome, what tripped it, and the rows it changed per table and operation. Rows
 * are those the run's statements changed, including rows later rolled back (a tripped run, a dry run).
 */
public final class RunReport {

    private final String runId;
    private final String jobName;
    private final GuardMode mode;
    private final boolean atomic;
    private final RunOutcome outcome;
    private final @Nullable Trip trip;
    private final List<Trip> wouldTrips;
    private final long rowsChanged;
    private final long rowsCommitted;
    private final long rowsRolledBack;
    private final Map<String, Map<Operation, Long>> rowsByTable;
    private final List<StatementSummary> statements;
    private final long statementsExecuted;
    private final boolean rowCountIsLowerBound;
    private final List<String> skippedSideEffects;
    private final Instant startedAt;
    private final Instant endedAt;
    private final @Nullable Throwable failure;
    private final String node;
    private final @Nullable String detail;
    private final @Nullable Baseline baseline;
    private final List<String> journalGaps;
    private final @Nullable RevertReport autoRevert;
    private final List<String> notPreflighted;

    RunReport(Builder builder) {
        this.runId = builder.runId;
        this.jobName = builder.jobName;
        this.mode = builder.mode;
        this.atomic = builder.atomic;
        this.outcome = Objects.requireNonNull(builder.outcome, "outcome");
        this.trip = builder.trip;
        this.wouldTrips = List.copyOf(builder.wouldTrips);
        this.rowsChanged = builder.rowsChanged;
        this.rowsCommitted = builder.rowsCommitted;
        this.rowsRolledBack = builder.rowsRolledBack;
        this.rowsByTable = Map.copyOf(builder.rowsByTable);
        this.statements = List.copyOf(builder.statements);
        this.statementsExecuted = builder.statementsExecuted;
        this.rowCountIsLowerBound = builder.rowCountIsLowerBound;
        this.skippedSideEffects = List.copyOf(builder.skippedSideEffects);
        this.startedAt = Objects.requireNonNull(builder.startedAt, "startedAt");
        this.endedAt = Objects.requireNonNull(builder.endedAt, "endedAt");
        this.failure = builder.failure;
        this.node = Objects.requireNonNull(builder.node, "node");
        this.detail = builder.detail;
        this.baseline = builder.baseline;
        this.journalGaps = List.copyOf(builder.journalGaps);
        this.autoRevert = builder.autoRevert;
        this.notPreflighted = List.copyOf(builder.notPreflighted);
    }

    /**
     * The writes of an enforcing or dry run that could have crossed a limit but were not counted before they ran (the
     * preflight could not read them first: a WHERE with FROM/JOIN/WITH, INSERT ... SELECT with IGNORE or ON CONFLICT,
     * a MERGE with conditional WHEN clauses, a parameter bound from a stream...), each with why. They were counted once
     * they ran, as always.
     */
    public List<String> notPreflighted() {
        return notPreflighted;
    }

    /**
     * The writes the change journal could not capture (journaling runs): a revert of this run does not cover them.
     */
    public List<String> journalGaps() {
        return journalGaps;
    }

    /** What the automatic revert of this tripped run put back ({@code autoRevert}), if it ran. */
    public Optional<RevertReport> autoRevert() {
        return Optional.ofNullable(autoRevert);
    }

    public String runId() {
        return runId;
    }

    public String jobName() {
        return jobName;
    }

    public GuardMode mode() {
        return mode;
    }

    public boolean isDryRun() {
        return mode == GuardMode.DRY_RUN;
    }

    public boolean atomic() {
        return atomic;
    }

    public RunOutcome outcome() {
        return outcome;
    }

    /** The limit the run crossed, when it {@link RunOutcome#TRIPPED}. */
    public Optional<Trip> trip() {
        return Optional.ofNullable(trip);
    }

    /** In {@link GuardMode#OBSERVE}: each limit that would have tripped the run, once per limit and table. */
    public List<Trip> wouldTrips() {
        return wouldTrips;
    }

    /**
     * Rows the run's statements changed, over all tables, whether or not they were kept: what the run attempted,
     * including the statement that crossed a limit and everything a dry run rolled back (a lower bound when {@link
     * #rowCountIsLowerBound()}). {@link #rowsCommitted()} says what the database kept.
     */
    public long rowsChanged() {
        return rowsChanged;
    }

    /**
     * Rows of {@link #rowsChanged()} whose transaction committed: what the run left in the database. Zero for a dry
     * run. Rows counted through {@code GuardContext.recordChanges}, and rows of a transaction the run left open (one
     * that a caller outside the run commits later) are neither committed nor rolled back here.
     */
    public long rowsCommitted() {
        return rowsCommitted;
    }

    /** Rows of {@link #rowsChanged()} whose statement or transaction was rolled back: by a trip, the job, a dry run. */
    public long rowsRolledBack() {
        return rowsRolledBack;
    }

    /** Rows changed per table (normalized name) and operation; operations with no rows are left out. */
    public Map<String, Map<Operation, Long>> rowsByTable() {
        return rowsByTable;
    }

    /** Rows changed in one table, over all operations. */
    public long rowsChanged(String table) {
        Map<Operation, Long> counts = rowsByTable.get(TableNames.normalize(table));
        return counts == null
                ? 0
                : counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** Rows changed in one table by one operation. */
    public long rowsChanged(String table, Operation operation) {
        Map<Operation, Long> counts = rowsByTable.get(TableNames.normalize(table));
        return counts == null ? 0 : counts.getOrDefault(operation, 0L);
    }

    /** The distinct write statements of the run with their executions and rows, in order of first execution. */
    public List<StatementSummary> statements() {
        return statements;
    }

    /** Write executions counted (each batch entry and each statement of a multi-statement string counts once). */
    public long statementsExecuted() {
        return statementsExecuted;
    }

    /** Whether a driver reported "rows changed, count unknown" (batch -2), so {@link #rowsChanged()} is a minimum. */
    public boolean rowCountIsLowerBound() {
        return rowCountIsLowerBound;
    }

    /** Side effects skipped because the run was a dry run, by the name the job gave them. */
    public List<String> skippedSideEffects() {
        return skippedSideEffects;
    }

    public Instant startedAt() {
        return startedAt;
    }

    public Instant endedAt() {
        return endedAt;
    }

    public Duration duration() {
        return Duration.between(startedAt, endedAt);
    }

    /** What the job threw (or what settling its transactions threw), if anything. */
    public Optional<Throwable> failure() {
        return Optional.ofNullable(failure);
    }

    /** The node the run ran on. */
    public String node() {
        return node;
    }

    /**
     * Why the run was skipped (disabled, switched off, locked elsewhere, state unreadable), when it was; and who asked
     * for it when it was a {@link RunRequest run-now} run.
     */
    public Optional<String> detail() {
        return Optional.ofNullable(detail);
    }

    /** The baseline the run's anomaly limits were drawn from, when the job had enough history. */
    public Optional<Baseline> baseline() {
        return Optional.ofNullable(baseline);
    }

    /** One line for a log: job, run, outcome, rows and the trip. */
    public String summary() {
        StringBuilder text = new StringBuilder();
        text.append("job '")
                .append(jobName)
                .append("' run ")
                .append(runId)
                .append(' ')
                .append(outcome);
        text.append(" (").append(mode).append(atomic ? ", atomic" : "").append("): ");
        text.append(rowCountIsLowerBound ? "at least " : "").append(rowsChanged).append(" rows changed");
        if (rowsRolledBack > 0) {
            text.append(" (")
                    .append(rowsCommitted)
                    .append(" committed, ")
                    .append(rowsRolledBack)
                    .append(" rolled back)");
        }
        if (!rowsByTable.isEmpty()) {
            text.append(' ').append(new TreeMap<>(rowsByTable));
        }
        text.append(" in ").append(duration().toMillis()).append(" ms");
        if (detail != null) {
            text.append(": ").append(detail);
        }
        if (baseline != null) {
            text.append("; baseline ").append(baseline);
        }
        if (trip != null) {
            text.append("; tripped: ").append(trip.describe());
        }
        for (Trip would : wouldTrips) {
            text.append("; would have tripped: ").append(would.describe());
        }
        if (failure != null && trip == null) {
            text.append("; failed: ").append(failure);
        }
        if (!journalGaps.isEmpty()) {
            text.append("; ").append(journalGaps.size()).append(" write(s) not journaled (a revert would be partial)");
        }
        if (autoRevert != null) {
            text.append("; auto-revert: ").append(autoRevert.summary());
        }
        if (!notPreflighted.isEmpty()) {
            text.append("; ")
                    .append(notPreflighted.size())
                    .append(" write(s) not counted before they ran (no preflight): ")
                    .append(String.join("; ", notPreflighted));
        }
        return text.toString();
    }

    @Override
    public String toString() {
        return "RunReport{" + summary() + '}';
    }

    static Builder builder(String runId, String jobName) {
        return new Builder(runId, jobName);
    }

    /** Assembles a report; used by the guard. */
    static final class Builder {
        private final String runId;
        private final String jobName;
        private GuardMode mode = GuardMode.ENFORCE;
        private boolean atomic;
        private @Nullable RunOutcome outcome;
        private @Nullable Trip trip;
        private List<Trip> wouldTrips = List.of();
        private long rowsChanged;
        private long rowsCommitted;
        private long rowsRolledBack;
        private Map<String, Map<Operation, Long>> rowsByTable = Map.of();
        private List<StatementSummary> statements = List.of();
        private long statementsExecuted;
        private boolean rowCountIsLowerBound;
        private List<String> skippedSideEffects = List.of();
        private @Nullable Instant startedAt;
        private @Nullable Instant endedAt;
        private @Nullable Throwable failure;
        private @Nullable String node;
        private @Nullable String detail;
        private @Nullable Baseline baseline;
        private List<String> journalGaps = List.of();
        private List<String> notPreflighted = List.of();
        private @Nullable RevertReport autoRevert;

        private Builder(String runId, String jobName) {
            this.runId = runId;
            this.jobName = jobName;
        }

        Builder mode(GuardMode mode, boolean atomic) {
            this.mode = mode;
            this.atomic = atomic;
            return this;
        }

        Builder outcome(RunOutcome outcome, @Nullable Trip trip, @Nullable Throwable failure) {
            this.outcome = outcome;
            this.trip = trip;
            this.failure = failure;
            return this;
        }

        Builder counts(
                long rowsChanged,
                Map<String, Map<Operation, Long>> rowsByTable,
                List<StatementSummary> statements,
                long statementsExecuted,
                boolean rowCountIsLowerBound) {
            this.rowsChanged = rowsChanged;
            this.rowsByTable = rowsByTable;
            this.statements = statements;
            this.statementsExecuted = statementsExecuted;
            this.rowCountIsLowerBound = rowCountIsLowerBound;
            return this;
        }

        Builder kept(long rowsCommitted, long rowsRolledBack) {
            this.rowsCommitted = rowsCommitted;
            this.rowsRolledBack = rowsRolledBack;
            return this;
        }

        Builder wouldTrips(List<Trip> wouldTrips) {
            this.wouldTrips = wouldTrips;
            return this;
        }

        Builder skippedSideEffects(List<String> skippedSideEffects) {
            this.skippedSideEffects = skippedSideEffects;
            return this;
        }

        Builder times(Instant startedAt, Instant endedAt) {
            this.startedAt = startedAt;
            this.endedAt = endedAt;
            return this;
        }

        Builder node(String node) {
            this.node = node;
            return this;
        }

        Builder detail(@Nullable String detail) {
            this.detail = detail;
            return this;
        }

        Builder baseline(@Nullable Baseline baseline) {
            this.baseline = baseline;
            return this;
        }

        Builder journal(List<String> gaps, @Nullable RevertReport autoRevert) {
            this.journalGaps = gaps;
            this.autoRevert = autoRevert;
            return this;
        }

        Builder notPreflighted(List<String> writes) {
            this.notPreflighted = writes;
            return this;
        }

        RunReport build() {
            return new RunReport(this);
        }
    }
}
