package dev.jobguard.quartz;

import dev.jobguard.GuardPolicy;
import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.config.JobProperties;
import dev.jobguard.config.PolicyOverrides;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;

/** Turns a job's class annotation and {@code jobguard.*} JobDataMap keys into its policy. */
final class QuartzPolicies {

    private QuartzPolicies() {}

    /** Whether the job is guarded: {@code @GuardedJob} on its class, or {@code jobguard.guarded=true}. */
    static boolean isGuarded(JobDetail detail, JobDataMap data) {
        return detail.getJobClass().isAnnotationPresent(GuardedJob.class)
                || Boolean.parseBoolean(text(data, JobGuardQuartz.KEY_GUARDED));
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
        return PolicyOverrides.apply(base, properties(base.jobName(), data));
    }

    private static JobProperties properties(String job, JobDataMap data) {
        JobProperties properties = new JobProperties();
        properties.setMode(text(data, JobGuardQuartz.KEY_MODE));
        properties.setMaxRowsChanged(number(job, data, JobGuardQuartz.KEY_MAX_ROWS_CHANGED));
        properties.setMaxRowsPerStatement(number(job, data, JobGuardQuartz.KEY_MAX_ROWS_PER_STATEMENT));
        Map<String, Long> tables = new LinkedHashMap<>();
        for (String key : data.getKeys()) {
            if (key.startsWith(JobGuardQuartz.KEY_TABLE_PREFIX)
                    && key.length() > JobGuardQuartz.KEY_TABLE_PREFIX.length()) {
                tables.put(key.substring(JobGuardQuartz.KEY_TABLE_PREFIX.length()), number(job, data, key));
            }
        }
        properties.setTables(tables);
        properties.setAtomic(bool(job, data, JobGuardQuartz.KEY_ATOMIC));
        properties.setAllowTruncate(bool(job, data, JobGuardQuartz.KEY_ALLOW_TRUNCATE));
        Long failures = number(job, data, JobGuardQuartz.KEY_MAX_CONSECUTIVE_FAILURES);
        properties.setMaxConsecutiveFailures(failures == null ? null : Math.toIntExact(failures));
        String duration = text(data, JobGuardQuartz.KEY_MAX_DURATION);
        if (duration != null && !duration.isBlank()) {
            try {
                properties.setMaxDuration(Duration.parse(duration.strip()));
            } catch (DateTimeParseException invalid) {
                throw invalid(job, JobGuardQuartz.KEY_MAX_DURATION, duration, "an ISO-8601 duration such as PT10M");
            }
        }
        return properties;
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
        try {
            return Long.parseLong(value.strip());
        } catch (NumberFormatException invalid) {
            throw invalid(job, key, value, "a whole number >= 0");
        }
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
