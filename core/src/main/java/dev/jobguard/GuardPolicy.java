package dev.jobguard;

import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.anomaly.AnomalyPolicy;
import dev.jobguard.internal.sql.TableNames;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import org.jspecify.annotations.Nullable;

/**
 * What a guarded job may change and how its limits apply. Immutable; validated when built, with messages that
 * name the job and the setting.
 *
 * <pre>{@code
 * GuardPolicy policy = GuardPolicy.builder("cancel-overdue-invoices")
 *         .maxRowsChanged(500).maxRowsPerStatement(100).tableLimit("invoices", 200)
 *         .build();
 * }</pre>
 */
public final class GuardPolicy {

    public static final GuardMode DEFAULT_MODE = GuardMode.ENFORCE;
    public static final boolean DEFAULT_ATOMIC = false;
    public static final boolean DEFAULT_ALLOW_TRUNCATE = false;
    public static final boolean DEFAULT_TRIP_ON_UNKNOWN_ROW_COUNT = false;
    /** Count an UPDATE's or DELETE's rows before it runs, where a limit could be crossed (see {@link #preflight()}). */
    public static final boolean DEFAULT_PREFLIGHT = true;
    /** Failed runs in a row that disable the job; 0 turns it off. */
    public static final int DEFAULT_MAX_CONSECUTIVE_FAILURES = 3;
    /** How long the run's lock (when a LockProvider is configured) is held at most. */
    public static final Duration DEFAULT_LOCK_AT_MOST_FOR = Duration.ofMinutes(30);
    /** Longest job name accepted (it is a key in the state tables). */
    public static final int MAX_JOB_NAME_LENGTH = 200;
    /** Runs keep no change journal unless asked. */
    public static final boolean DEFAULT_JOURNAL = false;

    private static final long UNSET = GuardedJob.UNSET;

    private final String jobName;
    private final GuardMode mode;
    private final long maxRowsChanged;
    private final long maxRowsPerStatement;
    private final Map<String, Long> tableLimits;
    private final boolean atomic;
    private final boolean allowTruncate;
    private final boolean tripOnUnknownRowCount;
    private final boolean preflight;
    private final AnomalyPolicy anomaly;
    private final int maxConsecutiveFailures;
    private final @Nullable Duration maxDuration;
    private final boolean tripOnMaxDuration;
    private final Duration lockAtMostFor;
    private final boolean journal;
    private final boolean tripOnJournalGap;
    private final boolean autoRevert;

    private GuardPolicy(Builder builder) {
        this.jobName = builder.jobName;
        this.mode = builder.mode;
        this.maxRowsChanged = builder.maxRowsChanged;
        this.maxRowsPerStatement = builder.maxRowsPerStatement;
        this.tableLimits = Collections.unmodifiableMap(new LinkedHashMap<>(builder.tableLimits));
        this.atomic = builder.atomic;
        this.allowTruncate = builder.allowTruncate;
        this.tripOnUnknownRowCount = builder.tripOnUnknownRowCount;
        this.preflight = builder.preflight;
        this.anomaly = builder.anomaly;
        this.maxConsecutiveFailures = builder.maxConsecutiveFailures;
        this.maxDuration = builder.maxDuration;
        this.tripOnMaxDuration = builder.tripOnMaxDuration;
        this.lockAtMostFor = builder.lockAtMostFor;
        this.journal = builder.journal;
        this.tripOnJournalGap = builder.tripOnJournalGap;
        this.autoRevert = builder.autoRevert;
        if (tripOnJournalGap && !journal) {
            throw new IllegalArgumentException("jobguard: job '" + jobName
                    + "': tripOnJournalGap is set without journal: set journal = true or drop tripOnJournalGap");
        }
        if (autoRevert && !journal) {
            throw new IllegalArgumentException("jobguard: job '" + jobName
                    + "': autoRevert is set without journal: set journal = true (the revert needs the run's"
                    + " change journal) or drop autoRevert");
        }
        if (tripOnMaxDuration && maxDuration == null) {
            throw new IllegalArgumentException("jobguard: job '" + jobName
                    + "': tripOnMaxDuration is set without maxDuration: set maxDuration (e.g. PT10M) or drop"
                    + " tripOnMaxDuration");
        }
    }

    /** Starts a policy for the named job; every limit unset, mode {@link #DEFAULT_MODE}. */
    public static Builder builder(String jobName) {
        return new Builder(jobName);
    }

    /**
     * The policy an annotation describes.
     *
     * @param annotation the job's annotation
     * @param defaultName the name to use when the annotation's name is blank (the adapter's default)
     * @throws IllegalArgumentException naming the job and the attribute when a value is invalid
     */
    public static GuardPolicy from(GuardedJob annotation, String defaultName) {
        return AnnotatedPolicies.from(annotation, defaultName);
    }

    /** A builder that starts from this policy, for overriding some settings. */
    public Builder toBuilder() {
        Builder builder = new Builder(jobName)
                .mode(mode)
                .atomic(atomic)
                .allowTruncate(allowTruncate)
                .tripOnUnknownRowCount(tripOnUnknownRowCount)
                .preflight(preflight);
        builder.maxRowsChanged = maxRowsChanged;
        builder.maxRowsPerStatement = maxRowsPerStatement;
        builder.tableLimits.putAll(tableLimits);
        builder.anomaly = anomaly;
        builder.maxConsecutiveFailures = maxConsecutiveFailures;
        builder.maxDuration = maxDuration;
        builder.tripOnMaxDuration = tripOnMaxDuration;
        builder.lockAtMostFor = lockAtMostFor;
        builder.journal = journal;
        builder.tripOnJournalGap = tripOnJournalGap;
        builder.autoRevert = autoRevert;
        return builder;
    }

    public String jobName() {
        return jobName;
    }

    public GuardMode mode() {
        return mode;
    }

    /** Most rows the whole run may change, or empty for no limit. */
    public OptionalLong maxRowsChanged() {
        return optional(maxRowsChanged);
    }

    /** Most rows one statement may change, or empty for no limit. */
    public OptionalLong maxRowsPerStatement() {
        return optional(maxRowsPerStatement);
    }

    /** Per-table limits, keyed by normalized table name (lower case, unquoted). */
    public Map<String, Long> tableLimits() {
        return tableLimits;
    }

    public boolean atomic() {
        return atomic;
    }

    public boolean allowTruncate() {
        return allowTruncate;
    }

    public boolean tripOnUnknownRowCount() {
        return tripOnUnknownRowCount;
    }

    /**
     * Whether an enforcing or dry run counts an UPDATE's or DELETE's rows before sending it, where a limit in force
     * could be crossed by it (a {@code SELECT} of its WHERE, bounded by what the tightest limit leaves), and trips
     * before the statement changes anything when more rows match. Costs one bounded read per such statement; skipped
     * when its WHERE pins the primary key or no limit is in reach.
     */
    public boolean preflight() {
        return preflight;
    }

    /** How the job's history limits its runs. */
    public AnomalyPolicy anomaly() {
        return anomaly;
    }

    /** Failed runs in a row that disable the job; 0 for never. */
    public int maxConsecutiveFailures() {
        return maxConsecutiveFailures;
    }

    /** The longest a run should take, or empty for no limit. */
    public Optional<Duration> maxDuration() {
        return Optional.ofNullable(maxDuration);
    }

    /** Whether a run over {@link #maxDuration()} trips (and disables the job) rather than only being reported. */
    public boolean tripOnMaxDuration() {
        return tripOnMaxDuration;
    }

    /** How long the run's lock is held at most (when a LockProvider is configured). */
    public Duration lockAtMostFor() {
        return lockAtMostFor;
    }

    /**
     * Whether the run keeps a change journal: the before-image of every row it updates or deletes and the key of
     * every row it inserts, written to {@code jobguard_change} in the same transaction, so the run can be reverted.
     */
    public boolean journal() {
        return journal;
    }

    /**
     * Whether a write the journal cannot capture (a table without a primary key, SQL it cannot rewrite) trips the run
     * before it executes, rather than only being reported (the run's revert is then partial).
     */
    public boolean tripOnJournalGap() {
        return tripOnJournalGap;
    }

    /**
     * Whether a tripped run's committed writes (auto-commit, statement by statement) are reverted from the journal
     * at once.
     */
    public boolean autoRevert() {
        return autoRevert;
    }

    /** Whether any hard limit is set. */
    public boolean hasLimits() {
        return maxRowsChanged != UNSET || maxRowsPerStatement != UNSET || !tableLimits.isEmpty();
    }

    private static OptionalLong optional(long value) {
        return value == UNSET ? OptionalLong.empty() : OptionalLong.of(value);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof GuardPolicy that
                && jobName.equals(that.jobName)
                && mode == that.mode
                && maxRowsChanged == that.maxRowsChanged
                && maxRowsPerStatement == that.maxRowsPerStatement
                && tableLimits.equals(that.tableLimits)
                && atomic == that.atomic
                && allowTruncate == that.allowTruncate
                && tripOnUnknownRowCount == that.tripOnUnknownRowCount
                && preflight == that.preflight
                && anomaly.equals(that.anomaly)
                && maxConsecutiveFailures == that.maxConsecutiveFailures
                && Objects.equals(maxDuration, that.maxDuration)
                && tripOnMaxDuration == that.tripOnMaxDuration
                && lockAtMostFor.equals(that.lockAtMostFor)
                && journal == that.journal
                && tripOnJournalGap == that.tripOnJournalGap
                && autoRevert == that.autoRevert;
    }

    @Override
    public int hashCode() {
        return Objects.hash(jobName, mode, maxRowsChanged, maxRowsPerStatement, tableLimits, atomic);
    }

    @Override
    public String toString() {
        return "GuardPolicy{job=" + jobName + ", mode=" + mode + ", maxRowsChanged=" + describe(maxRowsChanged)
                + ", maxRowsPerStatement=" + describe(maxRowsPerStatement) + ", tables=" + tableLimits + ", atomic="
                + atomic + ", allowTruncate=" + allowTruncate + ", tripOnUnknownRowCount=" + tripOnUnknownRowCount
                + ", preflight=" + preflight
                + ", " + anomaly + ", maxConsecutiveFailures=" + maxConsecutiveFailures + ", maxDuration="
                + (maxDuration == null ? "none" : maxDuration) + (tripOnMaxDuration ? " (trips)" : "") + ", journal="
                + journal + (tripOnJournalGap ? " (gaps trip)" : "") + (autoRevert ? " (auto-revert)" : "") + '}';
    }

    private static String describe(long limit) {
        return limit == UNSET ? "none" : Long.toString(limit);
    }

    /** Builds a {@link GuardPolicy}; each setter checks its value at once. */
    public static final class Builder {
        private final String jobName;
        private GuardMode mode = DEFAULT_MODE;
        private long maxRowsChanged = UNSET;
        private long maxRowsPerStatement = UNSET;
        private final Map<String, Long> tableLimits = new LinkedHashMap<>();
        private boolean atomic = DEFAULT_ATOMIC;
        private boolean allowTruncate = DEFAULT_ALLOW_TRUNCATE;
        private boolean tripOnUnknownRowCount = DEFAULT_TRIP_ON_UNKNOWN_ROW_COUNT;
        private boolean preflight = DEFAULT_PREFLIGHT;
        private AnomalyPolicy anomaly = AnomalyPolicy.DEFAULTS;
        private int maxConsecutiveFailures = DEFAULT_MAX_CONSECUTIVE_FAILURES;
        private @Nullable Duration maxDuration;
        private boolean tripOnMaxDuration;
        private Duration lockAtMostFor = DEFAULT_LOCK_AT_MOST_FOR;
        private boolean journal = DEFAULT_JOURNAL;
        private boolean tripOnJournalGap;
        private boolean autoRevert;

        private Builder(String jobName) {
            if (jobName == null || jobName.isBlank()) {
                throw new IllegalArgumentException(
                        "jobguard: a guarded job needs a name: set @GuardedJob(name = \"...\") or pass a non-blank"
                                + " name to GuardPolicy.builder(name)");
            }
            if (jobName.length() > MAX_JOB_NAME_LENGTH) {
                throw new IllegalArgumentException("jobguard: job name '" + jobName + "' is " + jobName.length()
                        + " characters long; the most allowed is " + MAX_JOB_NAME_LENGTH + ": choose a shorter name");
            }
            this.jobName = jobName.strip();
        }

        public Builder mode(GuardMode mode) {
            if (mode == null) {
                throw invalid("mode", "null", "set one of ENFORCE, OBSERVE, DRY_RUN");
            }
            this.mode = mode;
            return this;
        }

        /** Most rows the whole run may change, over all tables; 0 allows no writes at all. */
        public Builder maxRowsChanged(long maxRows) {
            this.maxRowsChanged = checkLimit("maxRowsChanged", maxRows);
            return this;
        }

        /** Most rows one statement may change; 0 allows no writes at all. */
        public Builder maxRowsPerStatement(long maxRows) {
            this.maxRowsPerStatement = checkLimit("maxRowsPerStatement", maxRows);
            return this;
        }

        /**
         * Most rows of one table the run may change. The name is compared case-insensitively, unquoted; a limit named
         * with its schema ({@code billing.invoices}) also applies to statements that write the table without one.
         */
        public Builder tableLimit(String table, long maxRows) {
            if (table == null || table.isBlank()) {
                throw invalid(
                        "tableLimit",
                        "a limit of " + maxRows + " without a table",
                        "name the table, e.g. tableLimit(\"invoices\", " + maxRows + ")");
            }
            String key = TableNames.normalize(table);
            long checked = checkLimit("tableLimit[" + table + "]", maxRows);
            if (tableLimits.containsKey(key)) {
                throw invalid(
                        "tableLimit[" + table + "]",
                        "given twice",
                        "keep one limit per table (names are compared case-insensitively)");
            }
            tableLimits.put(key, checked);
            return this;
        }

        /** Sets or replaces the limit of one table (for configuration that overrides an annotation). */
        public Builder replaceTableLimit(String table, long maxRows) {
            if (table != null && !table.isBlank()) {
                tableLimits.remove(TableNames.normalize(table));
            }
            return tableLimit(table, maxRows);
        }

        /** When true, nothing the run writes commits until the whole run ends cleanly. */
        public Builder atomic(boolean atomic) {
            this.atomic = atomic;
            return this;
        }

        /**
         * When true, TRUNCATE and DROP TABLE do not trip a limit that covers their table (a hard limit, or the anomaly
         * limit of a job with a baseline): set it on a job that truncates as part of its normal work.
         */
        public Builder allowTruncate(boolean allowTruncate) {
            this.allowTruncate = allowTruncate;
            return this;
        }

        /** When true, a write whose row count the driver does not report (batch -2) trips the run. */
        public Builder tripOnUnknownRowCount(boolean tripOnUnknownRowCount) {
            this.tripOnUnknownRowCount = tripOnUnknownRowCount;
            return this;
        }

        /** Whether to count an UPDATE's or DELETE's rows before it runs ({@link GuardPolicy#preflight()}). */
        public Builder preflight(boolean preflight) {
            this.preflight = preflight;
            return this;
        }

        /** How the job's own history limits its runs ({@link AnomalyPolicy#DEFAULTS} unless set). */
        public Builder anomaly(AnomalyPolicy anomaly) {
            if (anomaly == null) {
                throw invalid("anomaly", "null", "pass AnomalyPolicy.DISABLED to turn it off");
            }
            this.anomaly = anomaly;
            return this;
        }

        /**
         * That many FAILED runs in a row (SKIPPED runs between them passed over, counted from the job's last enable)
         * disable the job; 0 turns this off.
         */
        public Builder maxConsecutiveFailures(int failures) {
            if (failures < 0) {
                throw invalid("maxConsecutiveFailures", Integer.toString(failures), "use a number >= 0 (0 for never)");
            }
            this.maxConsecutiveFailures = failures;
            return this;
        }

        /**
         * The longest a run should take; a longer run is reported, and trips with {@link #tripOnMaxDuration}. Null for
         * none (the default).
         */
        public Builder maxDuration(@Nullable Duration maxDuration) {
            if (maxDuration != null && (maxDuration.isZero() || maxDuration.isNegative())) {
                throw invalid("maxDuration", maxDuration.toString(), "use a positive duration, e.g. PT10M");
            }
            this.maxDuration = maxDuration;
            return this;
        }

        /** Whether a run over {@code maxDuration} trips and disables the job (default: only reported). */
        public Builder tripOnMaxDuration(boolean trip) {
            this.tripOnMaxDuration = trip;
            return this;
        }

        /** How long the run's lock is held at most, when a LockProvider is configured. */
        public Builder lockAtMostFor(Duration lockAtMostFor) {
            if (lockAtMostFor == null || lockAtMostFor.isZero() || lockAtMostFor.isNegative()) {
                throw invalid("lockAtMostFor", String.valueOf(lockAtMostFor), "use a positive duration, e.g. PT30M");
            }
            this.lockAtMostFor = lockAtMostFor;
            return this;
        }

        /** Keeps a change journal of the run's writes, so that it can be reverted (default false). */
        public Builder journal(boolean journal) {
            this.journal = journal;
            return this;
        }

        /** Trips the run on a write the journal cannot capture, before it executes (default: only reported). */
        public Builder tripOnJournalGap(boolean trip) {
            this.tripOnJournalGap = trip;
            return this;
        }

        /** Reverts, from the journal, what a tripped run had already committed (needs {@link #journal}). */
        public Builder autoRevert(boolean autoRevert) {
            this.autoRevert = autoRevert;
            return this;
        }

        public GuardPolicy build() {
            return new GuardPolicy(this);
        }

        Duration parseDuration(String setting, String text) {
            try {
                return Duration.parse(text.strip());
            } catch (DateTimeParseException e) {
                throw invalid(setting, "\"" + text + "\"", "use an ISO-8601 duration such as PT10M or PT1H30M");
            }
        }

        IllegalArgumentException wrap(IllegalArgumentException invalid) {
            return new IllegalArgumentException(
                    // the guard's own IllegalArgumentExceptions always carry a message
                    Objects.requireNonNull(invalid.getMessage())
                            .replace("jobguard: ", "jobguard: job '" + jobName + "': "),
                    invalid);
        }

        private long checkLimit(String setting, long value) {
            if (value < 0) {
                throw invalid(
                        setting, Long.toString(value), "use a number >= 0, or leave the limit unset for no limit");
            }
            return value;
        }

        private IllegalArgumentException invalid(String setting, String value, String fix) {
            return new IllegalArgumentException(
                    "jobguard: job '" + jobName + "': invalid " + setting + " (" + value + "): " + fix);
        }
    }
}
