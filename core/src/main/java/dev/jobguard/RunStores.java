package dev.jobguard;

import dev.jobguard.internal.anomaly.HistoryCache;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.lock.RunLock;
import dev.jobguard.state.StateStore;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * Where the guard's runs keep and read what they share with other nodes.
 *
 * @param store the jobs' states and the runs' records
 * @param history the jobs' recent runs, cached for their baselines
 * @param journal where journaling runs record their changes
 * @param lock the cluster's lock, taken per job; null when none is configured
 */
record RunStores(
        StateStore store,
        HistoryCache history,
        ChangeJournal journal,
        @Nullable RunLock lock) {

    /** How often a job's baseline history is read again from the store (other nodes' runs join then). */
    static final Duration HISTORY_REFRESH = Duration.ofMinutes(1);

    static RunStores of(StateStore store, ChangeJournal journal, @Nullable RunLock lock) {
        return new RunStores(store, new HistoryCache(store, HISTORY_REFRESH), journal, lock);
    }
}
