package dev.jobguard;

import static dev.jobguard.JobGuard.requireText;

import dev.jobguard.internal.metrics.GuardMetrics;
import dev.jobguard.state.JobState;
import dev.jobguard.state.JobStatus;
import dev.jobguard.state.StateChange;
import dev.jobguard.state.StateStore;
import java.time.Clock;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An operator's disable or enable of a job, or of every job ({@link JobState#GLOBAL}): stored, and the job's disabled
 * gauge set at once (not only at its next run on this node).
 */
final class StateChanges {

    private final StateStore store;
    private final GuardMetrics metrics;
    private final Clock clock;

    StateChanges(StateStore store, GuardMetrics metrics, Clock clock) {
        this.store = store;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** @param until when the disable ends, or null for no end */
    JobState disable(String job, @Nullable Instant until, String reason, String actor) {
        return change(job, new Switch(JobStatus.DISABLED, null, until), reason, actor);
    }

    /** @param mode the mode pinned on the job's next runs, or null for none */
    JobState enable(String job, @Nullable GuardMode mode, String reason, String actor) {
        return change(job, new Switch(JobStatus.ENABLED, mode, null), reason, actor);
    }

    /** What a job is switched to: its status, a mode pinned on its next runs, when a disable ends. */
    private record Switch(
            JobStatus status,
            @Nullable GuardMode mode,
            @Nullable Instant until) {}

    private JobState change(String job, Switch to, String reason, String actor) {
        JobState state = store.change(new StateChange(
                requireText(job, "job"),
                to.status(),
                to.mode(),
                requireText(reason, "reason"),
                requireText(actor, "actor"),
                clock.instant(),
                to.until(),
                null));
        if (!JobState.GLOBAL.equals(state.job())) {
            metrics.disabled(state.job(), state.isDisabled());
        }
        return state;
    }
}
