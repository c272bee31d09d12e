package dev.jobguard;

import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStore;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Counts a job's failed runs in a row, for {@link GuardPolicy#maxConsecutiveFailures()}. */
final class FailureStreak {

    private FailureStreak() {}

    /**
     * The FAILED runs in a row before this one, newest first, at least up to {@code enough}: SKIPPED runs between
     * them are passed over however many there are (in a cluster with a lock, every tick records a skip on each other
     * node), so the job's recent runs are read in ever larger windows until a run that is not FAILED, the job's oldest
     * run, or enough failures. An operator's enable starts the count afresh: runs started before it do not count, nor
     * runs started in the same millisecond (stores keep milliseconds; a run that ended just before the enable may share
     * its millisecond, and counting it would disable the job one failure early).
     */
    static int failuresBefore(StateStore store, RunReport report, int enough, @Nullable Instant enabledAt) {
        Instant countFrom = enabledAt == null ? null : enabledAt.truncatedTo(ChronoUnit.MILLIS);
        if (enough <= 0) {
            return 0;
        }
        int window = Math.min(enough, 1 << 16) * 4 + 4;
        while (true) {
            List<RunRecord> runs = store.runs(report.jobName(), window);
            int failures = 0;
            for (RunRecord run : runs) {
                if (countFrom != null
                        && !run.startedAt().truncatedTo(ChronoUnit.MILLIS).isAfter(countFrom)) {
                    return failures;
                }
                if (run.outcome() == RunOutcome.SKIPPED || run.runId().equals(report.runId())) {
                    continue;
                }
                if (run.outcome() != RunOutcome.FAILED) {
                    return failures;
                }
                failures++;
            }
            if (failures >= enough || runs.size() < window || window > Integer.MAX_VALUE / 2) {
                return failures;
            }
            window *= 2;
        }
    }
}
