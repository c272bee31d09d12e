package dev.jobguard.config;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.anomaly.AnomalyPolicy;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Every per-job setting of a guarded job, described once: its name on each surface ({@code @GuardedJob} attribute,
 * {@code GuardPolicy.Builder} method, Spring property under {@code jobguard.jobs.<name>.}, Quartz {@code JobDataMap}
 * key), its type, its default and what it does. Each surface is checked against this list by a test, so a setting a
 * surface misses fails the build.
 */
public enum PolicySetting {
    MODE("mode", GuardMode.class, GuardPolicy.DEFAULT_MODE, "ENFORCE, OBSERVE (count, never trip) or DRY_RUN"),
    MAX_ROWS_CHANGED("maxRowsChanged", Long.class, null, "most rows the whole run may change, over all tables"),
    MAX_ROWS_PER_STATEMENT("maxRowsPerStatement", Long.class, null, "most rows one statement may change"),
    TABLE_LIMITS(
            names("tables", "tableLimit", "tables.<table>", "jobguard.table.<table>"),
            Map.class,
            null,
            "most rows the run may change in one table"),
    ATOMIC(
            "atomic",
            Boolean.class,
            GuardPolicy.DEFAULT_ATOMIC,
            "all writes in one transaction, committed when the run succeeds"),
    ALLOW_TRUNCATE(
            "allowTruncate",
            Boolean.class,
            GuardPolicy.DEFAULT_ALLOW_TRUNCATE,
            "TRUNCATE and DROP TABLE escape the limits of their table"),
    TRIP_ON_UNKNOWN_ROW_COUNT(
            "tripOnUnknownRowCount",
            Boolean.class,
            GuardPolicy.DEFAULT_TRIP_ON_UNKNOWN_ROW_COUNT,
            "trip when the driver cannot tell how many rows a write changed"),
    PREFLIGHT(
            "preflight",
            Boolean.class,
            GuardPolicy.DEFAULT_PREFLIGHT,
            "count a write's rows before it runs and refuse one that would cross a limit"),
    ANOMALY(
            names("anomaly", "anomaly", "anomaly.enabled", "jobguard.anomaly"),
            Boolean.class,
            true,
            "trip on a run far outside the job's normal size"),
    ANOMALY_FACTOR(
            names("anomalyFactor", "anomaly", "anomaly.factor", "jobguard.anomalyFactor"),
            Double.class,
            AnomalyPolicy.DEFAULT_FACTOR,
            "how many times the median of recent runs a run may change"),
    ANOMALY_MIN_ROWS(
            names("anomalyMinRows", "anomaly", "anomaly.min-rows", "jobguard.anomalyMinRows"),
            Long.class,
            AnomalyPolicy.DEFAULT_MIN_ROWS,
            "the anomaly limit is never below this"),
    ANOMALY_HISTORY(
            names("anomalyHistory", "anomaly", "anomaly.history", "jobguard.anomalyHistory"),
            Integer.class,
            AnomalyPolicy.DEFAULT_HISTORY,
            "how many recent successful runs make the baseline"),
    ANOMALY_MIN_RUNS(
            names("anomalyMinRuns", "anomaly", "anomaly.min-runs", "jobguard.anomalyMinRuns"),
            Integer.class,
            AnomalyPolicy.DEFAULT_MIN_RUNS,
            "runs needed before the baseline is used"),
    MAX_CONSECUTIVE_FAILURES(
            "maxConsecutiveFailures",
            Integer.class,
            GuardPolicy.DEFAULT_MAX_CONSECUTIVE_FAILURES,
            "failed runs in a row that disable the job (0: never)"),
    MAX_DURATION("maxDuration", Duration.class, null, "longest a run may take"),
    TRIP_ON_MAX_DURATION(
            "tripOnMaxDuration", Boolean.class, false, "trip (not only warn) when a run exceeds maxDuration"),
    LOCK_AT_MOST_FOR(
            "lockAtMostFor",
            Duration.class,
            GuardPolicy.DEFAULT_LOCK_AT_MOST_FOR,
            "how long a node's lock on the job may be held"),
    JOURNAL("journal", Boolean.class, GuardPolicy.DEFAULT_JOURNAL, "record before-images so a run can be reverted"),
    TRIP_ON_JOURNAL_GAP(
            "tripOnJournalGap", Boolean.class, false, "trip when a write cannot be journaled (else a gap is reported)"),
    AUTO_REVERT("autoRevert", Boolean.class, false, "revert a journaled run's committed writes when it trips");

    private final String annotationAttribute;
    private final String builderMethod;
    private final String property;
    private final String quartzKey;
    private final Class<?> type;

    @SuppressWarnings("ImmutableEnumChecker") // a Boolean, number, Duration, GuardMode or null: all immutable
    private final @Nullable Object defaultValue;

    private final String description;

    PolicySetting(String name, Class<?> type, @Nullable Object defaultValue, String description) {
        this(names(name, name, kebab(name), "jobguard." + name), type, defaultValue, description);
    }

    PolicySetting(Names names, Class<?> type, @Nullable Object defaultValue, String description) {
        this.annotationAttribute = names.annotationAttribute();
        this.builderMethod = names.builderMethod();
        this.property = names.property();
        this.quartzKey = names.quartzKey();
        this.type = type;
        this.defaultValue = defaultValue;
        this.description = description;
    }

    /** A setting's name on each surface, where they are not all its one name. */
    private record Names(String annotationAttribute, String builderMethod, String property, String quartzKey) {}

    private static Names names(String annotationAttribute, String builderMethod, String property, String quartzKey) {
        return new Names(annotationAttribute, builderMethod, property, quartzKey);
    }

    private static String kebab(String name) {
        return name.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** The {@code @GuardedJob} attribute. */
    public String annotationAttribute() {
        return annotationAttribute;
    }

    /** The {@code GuardPolicy.Builder} method that sets it (the anomaly settings share {@code anomaly}). */
    public String builderMethod() {
        return builderMethod;
    }

    /** The Spring property under {@code jobguard.jobs.<name>.}; {@code <table>} stands for a table's name. */
    public String property() {
        return property;
    }

    /** The Quartz {@code JobDataMap} key; {@code <table>} stands for a table's name. */
    public String quartzKey() {
        return quartzKey;
    }

    /** The value's type: the boxed type, {@link Duration}, {@link GuardMode}, or {@link Map} for table limits. */
    public Class<?> type() {
        return type;
    }

    /** The value when nothing sets it; null for none (no limit, no table limits). */
    public @Nullable Object defaultValue() {
        return defaultValue;
    }

    /** What it does, in a line. */
    public String description() {
        return description;
    }
}
