package dev.jobguard;

import dev.jobguard.internal.metrics.GuardMetrics;
import dev.jobguard.state.JobState;
import dev.jobguard.state.StateChange;
import dev.jobguard.state.StateStore;
import dev.jobguard.state.StateStore.JobStates;
import org.jspecify.annotations.Nullable;

/**
 * Whether a run may start: reads the job's state (failing closed when it cannot), stores first a disable a trip on
 * this node could not, and refuses a disabled job, its refusal recorded and counted as a skip.
 */
final class RunAdmission {

    private final StateStore store;
    private final PendingDisables pendingDisables;
    private final GuardMetrics metrics;
    private final SkippedRuns skips;

    RunAdmission(StateStore store, PendingDisables pendingDisables, GuardMetrics metrics, SkippedRuns skips) {
        this.store = store;
        this.pendingDisables = pendingDisables;
        this.metrics = metrics;
        this.skips = skips;
    }

    /**
     * The job's states when they let it run, or its recorded and counted refusal.
     *
     * @param states null when refused
     * @param refused null when the job may run
     */
    record Admission(@Nullable JobStates states, @Nullable RunReport refused) {

        static Admission of(JobStates states) {
            return new Admission(states, null);
        }

        static Admission refused(RunReport refused) {
            return new Admission(null, refused);
        }
    }

    /**
     * Reads the job's state: the states when they let it run; else the SKIPPED run, recorded and counted (fail
     * closed, not recorded, when the state cannot be read).
     *
     * @param refusedBy what refuses the execution besides the guard, appended to the detail; null for none
     */
    Admission admit(RunAttempt attempt, @Nullable String refusedBy) {
        GuardPolicy policy = attempt.declared();
        JobStates states;
        try {
            states = store.read(policy.jobName());
        } catch (RuntimeException unreadable) {
            return Admission.refused(skips.failClosed(attempt, policy, "read the job's state", unreadable));
        }
        StateChange pending = pendingDisables.of(policy.jobName());
        if (pending != null) {
            try {
                states = pendingDisables.store(states, pending);
            } catch (RuntimeException unwritable) {
                return Admission.refused(skips.failClosed(
                        attempt,
                        policy,
                        "store the disable of the job's earlier trip (" + pending.reason() + ")",
                        unwritable));
            }
        }
        metrics.disabled(policy.jobName(), states.job().isDisabled());
        if (states.runnable()) {
            return Admission.of(states);
        }
        String why = refusedBy == null ? whyNotRunnable(states) : whyNotRunnable(states) + "; " + refusedBy;
        return Admission.refused(skips.skipped(attempt, policy, why, true));
    }

    private static String whyNotRunnable(JobStates states) {
        boolean global = states.global().isDisabled();
        JobState state = global ? states.global() : states.job();
        String which = global ? "all jobs are disabled" : "the job is DISABLED";
        return which + (state.disabledUntil() == null ? "" : " until " + state.disabledUntil()) + " (by "
                + state.actor() + " at " + state.changedAt() + ": " + state.reason() + ")";
    }
}
