package dev.jobguard;

import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.annotation.TableLimit;
import dev.jobguard.sql.TableNames;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalLong;

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
    /** Longest job name accepted (it is a key in the state tables). */
    public static final int MAX_JOB_NAME_LENGTH = 200;

    private static final long UNSET = GuardedJob.UNSET;

    private final String jobName;
    private final GuardMode mode;
    private final long maxRowsChanged;
    private final long maxRowsPerStatement;
    private final Map<String, Long> tableLimits;
    private final boolean atomic;
    private final boolean allowTruncate;
    private final boolean tripOnUnknownRowCount;

    private GuardPolicy(Builder builder) {
        this.jobName = builder.jobName;
        this.mode = builder.mode;
        this.maxRowsChanged = builder.maxRowsChanged;
        this.maxRowsPerStatement = builder.maxRowsPerStatement;
        this.tableLimits = Collections.unmodifiableMap(new LinkedHashMap<>(builder.tableLimits));
        this.atomic = builder.atomic;
        this.allowTruncate = builder.allowTruncate;
        this.tripOnUnknownRowCount = builder.tripOnUnknownRowCount;
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
        Objects.requireNonNull(annotation, "annotation");
        String name = annotation.name().isBlank() ? defaultName : annotation.name();
        Builder builder = builder(name)
                .mode(annotation.mode())
                .atomic(annotation.atomic())
                .allowTruncate(annotation.allowTruncate())
                .tripOnUnknownRowCount(annotation.tripOnUnknownRowCount());
        if (annotation.maxRowsChanged() != UNSET) {
            builder.maxRowsChanged(annotation.maxRowsChanged());
        }
        if (annotation.maxRowsPerStatement() != UNSET) {
            builder.maxRowsPerStatement(annotation.maxRowsPerStatement());
        }
        for (TableLimit limit : annotation.tables()) {
            builder.tableLimit(limit.table(), limit.maxRows());
        }
        return builder.build();
    }

    /** A builder that starts from this policy, for overriding some settings. */
    public Builder toBuilder() {
        Builder builder = new Builder(jobName)
                .mode(mode)
                .atomic(atomic)
                .allowTruncate(allowTruncate)
                .tripOnUnknownRowCount(tripOnUnknownRowCount);
        builder.maxRowsChanged = maxRowsChanged;
        builder.maxRowsPerStatement = maxRowsPerStatement;
        builder.tableLimits.putAll(tableLimits);
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
                && tripOnUnknownRowCount == that.tripOnUnknownRowCount;
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
                + '}';
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

        /** Most rows of one table the run may change. The name is compared case-insensitively, unquoted. */
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

        /** When true, nothing the run writes commits until the whole run ends cleanly. */
        public Builder atomic(boolean atomic) {
            this.atomic = atomic;
            return this;
        }

        /** When true, TRUNCATE and DROP TABLE do not trip a limit that covers their table. */
        public Builder allowTruncate(boolean allowTruncate) {
            this.allowTruncate = allowTruncate;
            return this;
        }

        /** When true, a write whose row count the driver does not report (batch -2) trips the run. */
        public Builder tripOnUnknownRowCount(boolean tripOnUnknownRowCount) {
            this.tripOnUnknownRowCount = tripOnUnknownRowCount;
            return this;
        }

        public GuardPolicy build() {
            return new GuardPolicy(this);
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
