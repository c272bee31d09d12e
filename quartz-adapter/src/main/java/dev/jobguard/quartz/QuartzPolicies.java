package dev.jobguard.quartz;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.config.PolicySetting;
import dev.jobguard.internal.config.JobProperties;
import dev.jobguard.internal.config.PolicyOverrides;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Turns a job's class annotation and {@code jobguard.*} JobDataMap keys into its policy. */
final class QuartzPolicies {

    private static final Logger log = LoggerFactory.getLogger(QuartzPolicies.class);

    private static final String PREFIX = "jobguard.";

    /** The keys read from a JobDataMap, besides {@code jobguard.table.<table>}. */
    static final Set<String> KEYS = keys();

    /** The keys a job's settings may use: each setting's ({@link PolicySetting}) and the adapter's own. */
    private static Set<String> keys() {
        Set<String> keys = new TreeSet<>(
                Set.of(JobGuardQuartz.KEY_GUARDED, JobGuardQuartz.KEY_NAME, JobGuardQuartz.KEY_PAUSED_BY_GUARD));
        for (PolicySetting setting : PolicySetting.values()) {
            if (setting != PolicySetting.TABLE_LIMITS) { // a prefix: jobguard.table.<table>
                keys.add(setting.quartzKey());
            }
        }
        return Collections.unmodifiableSet(keys);
    }

    private QuartzPolicies() {}

    /**
     * Whether the job is guarded: {@code @GuardedJob} on its class, {@code jobguard.guarded} set to anything but
     * {@code false} (an invalid value then fails the execution in {@link #resolve}), or, without that key, any other
     * {@code jobguard.*} setting. A job with settings and {@code jobguard.guarded=false} runs unguarded, with a warning.
     */
    static boolean isGuarded(JobDetail detail, JobDataMap data) {
        if (detail.getJobClass().isAnnotationPresent(GuardedJob.class)) {
            return true;
        }
        String guarded = text(data, JobGuardQuartz.KEY_GUARDED);
        List<String> settings = settings(data);
        if (guarded == null) {
            return !settings.isEmpty();
        }
        if (!guarded.strip().equalsIgnoreCase("false")) {
            return true;
        }
        if (!settings.isEmpty()) {
            log.warn(
                    "jobguard: Quartz job {} runs unguarded ({}=false): its settings {} are ignored; remove {} to"
                            + " guard it, or remove the settings",
                    detail.getKey(),
                    JobGuardQuartz.KEY_GUARDED,
                    settings,
                    JobGuardQuartz.KEY_GUARDED);
        }
        return false;
    }

    /** The {@code jobguard.*} keys of the map that configure the guard (all but the guard's own pause mark). */
    private static List<String> settings(JobDataMap data) {
        List<String> settings = new ArrayList<>();
        for (String key : data.getKeys()) {
            if (key.startsWith(PREFIX)
                    && !key.equals(JobGuardQuartz.KEY_GUARDED)
                    && !key.equals(JobGuardQuartz.KEY_PAUSED_BY_GUARD)) {
                settings.add(key);
            }
        }
        Collections.sort(settings);
        return settings;
    }

    /**
     * The policy of a guarded job: the annotation (when present), then the JobDataMap keys over it. The name is the
     * annotation's explicit name, else {@code jobguard.name}, else the JobKey ({@code group.name}).
     *
     * @throws IllegalArgumentException naming the key when a value is invalid
     */
    static GuardPolicy resolve(JobDetail detail, JobDataMap data) {
        String defaultName = text(data, JobGuardQuartz.KEY_NAME);
        if (defaultName == null || defaultName.isBlank()) {
            defaultName = detail.getKey().toString();
        }
        GuardedJob annotation = detail.getJobClass().getAnnotation(GuardedJob.class);
        GuardPolicy base = annotation != null
                ? GuardPolicy.from(annotation, defaultName)
                : GuardPolicy.builder(defaultName).build();
        String job = base.jobName();
        bool(job, data, JobGuardQuartz.KEY_GUARDED);
        for (String key : data.getKeys()) {
            if (key.startsWith(PREFIX) && !KEYS.contains(key) && !key.startsWith(JobGuardQuartz.KEY_TABLE_PREFIX)) {
                throw invalid(
                        job,
                        key,
                        text(data, key),
                        "one of the keys " + KEYS + " or jobguard.table.<table>;" + " it is not a jobguard key");
            }
        }
        if (annotation != null && !annotation.name().isBlank()) {
            String named = text(data, JobGuardQuartz.KEY_NAME);
            if (named != null && !named.isBlank() && !named.strip().equals(job)) {
                log.warn(
                        "jobguard: Quartz job {}: {}='{}' is ignored, the class's @GuardedJob(name = \"{}\") wins;"
                                + " remove one of them",
                        detail.getKey(),
                        JobGuardQuartz.KEY_NAME,
                        named,
                        job);
            }
        }
        // every value is checked here, so that a message names the JobDataMap key, not a Spring property
        return PolicyOverrides.apply(base, properties(job, data), "the jobguard.* keys of its JobDataMap");
    }

    private static JobProperties properties(String job, JobDataMap data) {
        JobProperties properties = new JobProperties();
        String mode = text(data, JobGuardQuartz.KEY_MODE);
        if (mode != null) {
            try {
                properties.setMode(GuardMode.parse(mode).name());
            } catch (IllegalArgumentException unknown) {
                throw invalid(job, JobGuardQuartz.KEY_MODE, mode, "enforce, observe or dry-run");
            }
        }
        properties.setMaxRowsChanged(number(job, data, JobGuardQuartz.KEY_MAX_ROWS_CHANGED));
        properties.setMaxRowsPerStatement(number(job, data, JobGuardQuartz.KEY_MAX_ROWS_PER_STATEMENT));
        Map<String, Long> tables = new LinkedHashMap<>();
        for (String key : data.getKeys()) {
            if (key.startsWith(JobGuardQuartz.KEY_TABLE_PREFIX)) {
                String table = key.substring(JobGuardQuartz.KEY_TABLE_PREFIX.length());
                if (table.isBlank()) {
                    throw invalid(
                            job, key, text(data, key), "a table name after the prefix, e.g. jobguard.table.invoices");
                }
                Long limit = number(job, data, key);
                if (limit == null) {
                    throw invalid(
                            job,
                            key,
                            text(data, key),
                            "a whole number >= 0, the most rows of " + table + " a run may change");
                }
                tables.put(table, limit);
            }
        }
        properties.setTables(tables);
        properties.setAtomic(bool(job, data, JobGuardQuartz.KEY_ATOMIC));
        properties.setAllowTruncate(bool(job, data, JobGuardQuartz.KEY_ALLOW_TRUNCATE));
        properties.setPreflight(bool(job, data, JobGuardQuartz.KEY_PREFLIGHT));
        properties.setMaxConsecutiveFailures(count(
                job,
                data,
                JobGuardQuartz.KEY_MAX_CONSECUTIVE_FAILURES,
                "a number up to " + Integer.MAX_VALUE + ", or 0 for never"));
        properties.setMaxDuration(duration(job, data, JobGuardQuartz.KEY_MAX_DURATION));
        properties.setTripOnUnknownRowCount(bool(job, data, JobGuardQuartz.KEY_TRIP_ON_UNKNOWN_ROW_COUNT));
        properties.setTripOnMaxDuration(bool(job, data, JobGuardQuartz.KEY_TRIP_ON_MAX_DURATION));
        properties.setLockAtMostFor(duration(job, data, JobGuardQuartz.KEY_LOCK_AT_MOST_FOR));
        properties.setJournal(bool(job, data, JobGuardQuartz.KEY_JOURNAL));
        properties.setTripOnJournalGap(bool(job, data, JobGuardQuartz.KEY_TRIP_ON_JOURNAL_GAP));
        properties.setAutoRevert(bool(job, data, JobGuardQuartz.KEY_AUTO_REVERT));
        JobProperties.Anomaly anomaly = properties.getAnomaly();
        anomaly.setEnabled(bool(job, data, JobGuardQuartz.KEY_ANOMALY));
        anomaly.setFactor(decimal(job, data, JobGuardQuartz.KEY_ANOMALY_FACTOR));
        anomaly.setMinRows(number(job, data, JobGuardQuartz.KEY_ANOMALY_MIN_ROWS));
        String wholeNumber = "a whole number up to " + Integer.MAX_VALUE;
        anomaly.setHistory(count(job, data, JobGuardQuartz.KEY_ANOMALY_HISTORY, wholeNumber));
        anomaly.setMinRuns(count(job, data, JobGuardQuartz.KEY_ANOMALY_MIN_RUNS, wholeNumber));
        return properties;
    }

    private static Duration duration(String job, JobDataMap data, String key) {
        String duration = text(data, key);
        if (duration == null || duration.isBlank()) {
            return null;
        }
        Duration parsed;
        try {
            parsed = Duration.parse(duration.strip());
        } catch (DateTimeParseException invalid) {
            parsed = null;
        }
        if (parsed == null || parsed.isZero() || parsed.isNegative()) {
            throw invalid(job, key, duration, "a positive ISO-8601 duration such as PT10M");
        }
        return parsed;
    }

    /** A whole number that fits an int; {@code tooLarge} says what to use instead of a larger one. */
    private static Integer count(String job, JobDataMap data, String key, String tooLarge) {
        Long number = number(job, data, key);
        if (number != null && number > Integer.MAX_VALUE) {
            throw invalid(job, key, number.toString(), tooLarge);
        }
        return number == null ? null : number.intValue();
    }

    private static Double decimal(String job, JobDataMap data, String key) {
        String value = text(data, key);
        if (value == null || value.isBlank()) {
            return null;
        }
        double number;
        try {
            number = Double.parseDouble(value.strip());
        } catch (NumberFormatException invalid) {
            number = Double.NaN;
        }
        if (Double.isNaN(number) || Double.isInfinite(number) || number <= 0) {
            throw invalid(job, key, value, "a positive number such as 10 or 2.5");
        }
        return number;
    }

    static String text(JobDataMap data, String key) {
        Object value = data.get(key);
        return value == null ? null : String.valueOf(value);
    }

    private static Long number(String job, JobDataMap data, String key) {
        String value = text(data, key);
        if (value == null || value.isBlank()) {
            return null;
        }
        long number;
        try {
            number = Long.parseLong(value.strip());
        } catch (NumberFormatException invalid) {
            throw invalid(job, key, value, "a whole number >= 0");
        }
        if (number < 0) {
            throw invalid(job, key, value, "a whole number >= 0 (leave the key out for no limit)");
        }
        return number;
    }

    private static Boolean bool(String job, JobDataMap data, String key) {
        String value = text(data, key);
        if (value == null || value.isBlank()) {
            return null;
        }
        String normalized = value.strip().toLowerCase(Locale.ROOT);
        if (!normalized.equals("true") && !normalized.equals("false")) {
            throw invalid(job, key, value, "true or false");
        }
        return Boolean.valueOf(normalized);
    }

    private static IllegalArgumentException invalid(String job, String key, String value, String expected) {
        return new IllegalArgumentException("jobguard: Quartz job '" + job + "': invalid JobDataMap value " + key + "='"
                + value + "': use " + expected);
    }
}
