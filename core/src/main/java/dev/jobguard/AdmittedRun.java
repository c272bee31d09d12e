package dev.jobguard;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A run the job's state and lock let start.
 *
 * @param policy the policy the run runs under (with the operator's mode override and the run-now request's mode)
 * @param startedAt the run's start, later than the job's last change
 * @param enabledAt the job's last change (an operator's enable), from which failures in a row are counted; null when
 *     the job never changed
 * @param detail who asked for a run-now run, recorded with it; null for a scheduled run
 */
record AdmittedRun(
        GuardPolicy policy,
        String runId,
        Instant startedAt,
        @Nullable Instant enabledAt,
        @Nullable String detail) {

    String jobName() {
        return policy.jobName();
    }
}
