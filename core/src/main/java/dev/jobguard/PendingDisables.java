package dev.jobguard;

import dev.jobguard.state.JobState;
import dev.jobguard.state.StateChange;
import dev.jobguard.state.StateStore;
import dev.jobguard.state.StateStore.JobStates;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Disables after a trip that the store refused, by job: stored when the job's state is next read on this node, which
 * does not let the job run until they are, unless an operator changed the job since the trip.
 */
final class PendingDisables {

    private static final Logger log = LoggerFactory.getLogger(JobGuard.class);

    private final StateStore store;
    private final Map<String, StateChange> pending = new ConcurrentHashMap<>();

    PendingDisables(StateStore store) {
        this.store = store;
    }

    /** Keeps a disable the store refused, until the job's state is next read. */
    void refused(StateChange disable) {
        pending.put(disable.job(), disable);
    }

    /** The job's disable was stored: nothing is pending for it any more. */
    void stored(String job) {
        pending.remove(job);
    }

    /** The disable pending for the job; null when none. */
    @Nullable
    StateChange of(String job) {
        return pending.get(job);
    }

    /**
     * Stores the disable that a trip on this node could not, unless the job is disabled already or changed after the
     * trip (an operator's word wins); the states after that.
     *
     * @throws RuntimeException when the store refuses it again (the disable stays pending)
     */
    JobStates store(JobStates states, StateChange disable) {
        JobState job = states.job();
        boolean overtaken =
                job.isDisabled() || (job.changedAt() != null && job.changedAt().isAfter(disable.at()));
        JobStates now = states;
        if (!overtaken) {
            JobState stored = store.change(disable);
            log.warn(
                    "jobguard: job '{}' DISABLED now: the disable after its trip could not be stored then ({})",
                    disable.job(),
                    disable.reason());
            now = new JobStates(stored, states.global());
        }
        pending.remove(disable.job(), disable);
        return now;
    }
}
