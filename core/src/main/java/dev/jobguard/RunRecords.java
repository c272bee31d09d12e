package dev.jobguard;

import dev.jobguard.state.RunRecord;
import org.jspecify.annotations.Nullable;

/** A run's report as the state store keeps it. */
final class RunRecords {

    private RunRecords() {}

    static RunRecord of(RunReport report) {
        boolean skipped = report.outcome() == RunOutcome.SKIPPED;
        return new RunRecord(
                report.runId(),
                report.jobName(),
                report.node(),
                report.mode(),
                report.startedAt(),
                report.endedAt(),
                report.outcome(),
                report.trip().orElse(null),
                detail(report),
                report.rowsChanged(),
                report.rowCountIsLowerBound(),
                report.rowsByTable(),
                skipped ? null : report.rowsCommitted(),
                skipped ? null : report.rowsRolledBack());
    }

    /** The record's detail: why it was skipped or who asked for it, and what it failed with. */
    private static @Nullable String detail(RunReport report) {
        String failure = report.failure().map(Throwable::toString).orElse(null);
        String detail = report.detail().orElse(null);
        return detail == null ? failure : failure == null ? detail : detail + "; failed: " + failure;
    }
}
