package dev.jobguard.internal.config;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.anomaly.AnomalyPolicy;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Applies a job's configured settings over the policy its annotation describes: annotation first, then
 * {@code jobguard.jobs.<name>.*}; the operator's override from the state store applies at run time on top. Every
 * invalid value fails with a message naming the job, the property and the fix.
 */
public final class PolicyOverrides {

    /** The prefix of a job's properties, used in messages. */
    public static final String PREFIX = "jobguard.jobs.";

    private PolicyOverrides() {}

    /**
     * The policy with the configured settings applied.
     *
     * @throws IllegalArgumentException naming {@code jobguard.jobs.<name>.<property>} when a value is invalid
     */
    public static GuardPolicy apply(GuardPolicy policy, @Nullable JobProperties properties) {
        return apply(policy, properties, properties == null ? "" : "the properties under " + PREFIX + policy.jobName());
    }

    /**
     * {@link #apply(GuardPolicy, JobProperties)} for settings from another surface than Spring's properties.
     *
     * @param where where the user set them, for the message of settings that conflict (e.g. "the job's JobDataMap")
     */
    public static GuardPolicy apply(GuardPolicy policy, @Nullable JobProperties properties, String where) {
        if (properties == null) {
            return policy;
        }
        String job = policy.jobName();
        GuardPolicy.Builder builder = policy.toBuilder();
        try {
            if (properties.getMode() != null) {
                builder.mode(parseMode(job, properties.getMode()));
            }
            if (properties.getMaxRowsChanged() != null) {
                builder.maxRowsChanged(check(job, "max-rows-changed", properties.getMaxRowsChanged()));
            }
            if (properties.getMaxRowsPerStatement() != null) {
                builder.maxRowsPerStatement(check(job, "max-rows-per-statement", properties.getMaxRowsPerStatement()));
            }
            for (Map.Entry<String, Long> table : properties.getTables().entrySet()) {
                builder.replaceTableLimit(table.getKey(), check(job, "tables." + table.getKey(), table.getValue()));
            }
            if (properties.getAtomic() != null) {
                builder.atomic(properties.getAtomic());
            }
            if (properties.getAllowTruncate() != null) {
                builder.allowTruncate(properties.getAllowTruncate());
            }
            if (properties.getTripOnUnknownRowCount() != null) {
                builder.tripOnUnknownRowCount(properties.getTripOnUnknownRowCount());
            }
            if (properties.getPreflight() != null) {
                builder.preflight(properties.getPreflight());
            }
            builder.anomaly(anomaly(job, policy.anomaly(), properties.getAnomaly()));
            if (properties.getMaxConsecutiveFailures() != null) {
                int failures = properties.getMaxConsecutiveFailures();
                if (failures < 0) {
                    throw invalid(job, "max-consecutive-failures", failures, "use a number >= 0 (0 for never)");
                }
                builder.maxConsecutiveFailures(failures);
            }
            if (properties.getMaxDuration() != null) {
                builder.maxDuration(positive(job, "max-duration", properties.getMaxDuration(), "10m"));
            }
            if (properties.getTripOnMaxDuration() != null) {
                builder.tripOnMaxDuration(properties.getTripOnMaxDuration());
            }
            if (properties.getJournal() != null) {
                builder.journal(properties.getJournal());
            }
            if (properties.getTripOnJournalGap() != null) {
                builder.tripOnJournalGap(properties.getTripOnJournalGap());
            }
            if (properties.getAutoRevert() != null) {
                builder.autoRevert(properties.getAutoRevert());
            }
            if (properties.getLockAtMostFor() != null) {
                builder.lockAtMostFor(positive(job, "lock-at-most-for", properties.getLockAtMostFor(), "30m"));
            }
            return builder.build();
        } catch (IllegalArgumentException invalid) {
            if (invalid.getMessage() != null && invalid.getMessage().contains(PREFIX)) {
                throw invalid;
            }
            // settings that conflict (e.g. trip-on-journal-gap without journal), here or with the annotation; no
            // cause: this message is complete, and it is the one a failed start shows last
            throw new IllegalArgumentException(
                    invalid.getMessage() + " (check " + where + " and the job's @GuardedJob)");
        }
    }

    /** Reads {@code enforce}, {@code observe} or {@code dry-run} (any case, {@code _} or {@code -}). */
    public static GuardMode parseMode(String job, String text) {
        try {
            return GuardMode.parse(text);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("jobguard: job '" + job + "': invalid " + PREFIX + job + ".mode ('"
                    + text + "'): use enforce, observe or dry-run");
        }
    }

    private static long check(String job, String property, @Nullable Long value) {
        if (value == null || value < 0) {
            throw invalid(job, property, value, "use a number >= 0, or remove the property for no limit");
        }
        return value;
    }

    private static Duration positive(String job, String property, Duration value, String example) {
        if (value.isZero() || value.isNegative()) {
            throw invalid(job, property, value, "use a positive duration, e.g. " + example);
        }
        return value;
    }

    private static IllegalArgumentException invalid(String job, String property, @Nullable Object value, String fix) {
        return new IllegalArgumentException(
                "jobguard: job '" + job + "': invalid " + PREFIX + job + "." + property + " (" + value + "): " + fix);
    }

    private static AnomalyPolicy anomaly(String job, AnomalyPolicy base, JobProperties.Anomaly configured) {
        if (configured.getEnabled() == null
                && configured.getFactor() == null
                && configured.getMinRows() == null
                && configured.getHistory() == null
                && configured.getMinRuns() == null) {
            return base;
        }
        try {
            return AnomalyPolicy.builder()
                    .enabled(configured.getEnabled() != null ? configured.getEnabled() : base.enabled())
                    .factor(configured.getFactor() != null ? configured.getFactor() : base.factor())
                    .minRows(configured.getMinRows() != null ? configured.getMinRows() : base.minRows())
                    .history(configured.getHistory() != null ? configured.getHistory() : base.history())
                    .minRuns(configured.getMinRuns() != null ? configured.getMinRuns() : base.minRuns())
                    .build();
        } catch (IllegalArgumentException invalid) {
            String message = invalid.getMessage();
            if (message == null) {
                throw invalid; // no setting named to rename: the builder's exception as it is
            }
            throw new IllegalArgumentException(message.replace(
                    "jobguard: invalid anomaly.",
                    "jobguard: job '" + job + "': invalid " + PREFIX + job + ".anomaly."));
        }
    }
}
