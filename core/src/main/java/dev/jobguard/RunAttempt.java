package dev.jobguard;

import dev.jobguard.state.StateStore.JobStates;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One attempt to run a job, before it is admitted: the policy as its caller declared it, the run's id and start, and
 * the operator's run-now request that asked for it.
 *
 * @param declared the policy as the caller gave it (before an operator's mode override or the request's mode)
 * @param request the operator's run-now request, or null for a scheduled run
 */
record RunAttempt(
        GuardPolicy declared,
        String runId,
        Instant startedAt,
        @Nullable RunRequest request) {

    String jobName() {
        return declared.jobName();
    }

    /** Who asked for the run, when it was a run-now request; null for a scheduled run. */
    @Nullable
    String requestedBy() {
        return request == null ? null : request.describe();
    }

    /** This attempt, started at {@code start}: its admitted run's start, made later than the job's last change. */
    RunAttempt startingAt(Instant start) {
        return new RunAttempt(declared, runId, start, request);
    }

    /** A skip's reason, with who asked for the run when it was a run-now request. */
    String requested(String why) {
        return request == null ? why : why + "; " + request.describe();
    }

    /** The policy with the operator's mode override, when one is pinned, then the mode a run-now request asks for. */
    GuardPolicy effective(JobStates states) {
        GuardMode pinnedMode = states.job().modeOverride();
        GuardPolicy pinned = pinnedMode == null
                ? declared
                : declared.toBuilder().mode(pinnedMode).build();
        if (request == null || request.modeFor(pinned.mode()) == pinned.mode()) {
            return pinned;
        }
        return pinned.toBuilder().mode(request.modeFor(pinned.mode())).build();
    }

    /**
     * The run as admitted under these states: their mode override, its start made later than the job's last change
     * (an operator's enable), from which failures in a row are counted.
     */
    AdmittedRun admitted(JobStates states, RunClock clock) {
        Instant enabledAt = states.job().changedAt();
        return new AdmittedRun(
                effective(states), runId, clock.startAfter(startedAt, enabledAt), enabledAt, requestedBy());
    }
}
