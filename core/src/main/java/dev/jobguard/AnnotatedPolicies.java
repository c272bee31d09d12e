package dev.jobguard;

import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.annotation.TableLimit;
import dev.jobguard.anomaly.AnomalyPolicy;
import java.util.Objects;

/** The policy a {@link GuardedJob} annotation describes ({@link GuardPolicy#from}). */
final class AnnotatedPolicies {

    private AnnotatedPolicies() {}

    /** See {@link GuardPolicy#from}. */
    static GuardPolicy from(GuardedJob annotation, String defaultName) {
        Objects.requireNonNull(annotation, "annotation");
        String name = annotation.name().isBlank() ? defaultName : annotation.name();
        GuardPolicy.Builder builder = GuardPolicy.builder(name)
                .mode(annotation.mode())
                .atomic(annotation.atomic())
                .allowTruncate(annotation.allowTruncate())
                .tripOnUnknownRowCount(annotation.tripOnUnknownRowCount())
                .preflight(annotation.preflight());
        if (annotation.maxRowsChanged() != GuardedJob.UNSET) {
            builder.maxRowsChanged(annotation.maxRowsChanged());
        }
        if (annotation.maxRowsPerStatement() != GuardedJob.UNSET) {
            builder.maxRowsPerStatement(annotation.maxRowsPerStatement());
        }
        for (TableLimit limit : annotation.tables()) {
            builder.tableLimit(limit.table(), limit.maxRows());
        }
        builder.anomaly(anomalyOf(annotation, builder));
        builder.maxConsecutiveFailures(annotation.maxConsecutiveFailures());
        if (!annotation.maxDuration().isBlank()) {
            builder.maxDuration(builder.parseDuration("maxDuration", annotation.maxDuration()));
        }
        builder.tripOnMaxDuration(annotation.tripOnMaxDuration());
        builder.journal(annotation.journal())
                .tripOnJournalGap(annotation.tripOnJournalGap())
                .autoRevert(annotation.autoRevert());
        if (!annotation.lockAtMostFor().isBlank()) {
            builder.lockAtMostFor(builder.parseDuration("lockAtMostFor", annotation.lockAtMostFor()));
        }
        return builder.build();
    }

    private static AnomalyPolicy anomalyOf(GuardedJob annotation, GuardPolicy.Builder builder) {
        try {
            return AnomalyPolicy.builder()
                    .enabled(annotation.anomaly())
                    .factor(annotation.anomalyFactor())
                    .minRows(annotation.anomalyMinRows())
                    .history(annotation.anomalyHistory())
                    .minRuns(annotation.anomalyMinRuns())
                    .build();
        } catch (IllegalArgumentException invalid) {
            throw builder.wrap(invalid);
        }
    }
}
