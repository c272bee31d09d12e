package dev.jobguard.internal.anomaly;

import dev.jobguard.GuardMode;
import dev.jobguard.RunOutcome;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each job's recent successful ENFORCE runs, read from the state store at most once per {@link #refreshEvery} and
 * kept up to date in between with the runs this node records, so that a run does not pay a store round trip for its
 * baseline. Runs recorded by other nodes join the history at the next refresh.
 */
public final class HistoryCache {

    private final StateStore store;
    private final Duration refreshEvery;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    private record Entry(List<RunRecord> runs, int size, Instant readAt) {}

    public HistoryCache(StateStore store, Duration refreshEvery) {
        this.store = store;
        this.refreshEvery = refreshEvery;
    }

    /** The job's last {@code size} successful ENFORCE runs, newest first. */
    public List<RunRecord> history(String job, int size, Instant now) {
        Entry entry = entries.get(job);
        if (entry == null
                || entry.size() != size
                || entry.readAt().plus(refreshEvery).isBefore(now)) {
            List<RunRecord> runs = store.runs(job, RunOutcome.SUCCEEDED, GuardMode.ENFORCE, size);
            entry = new Entry(List.copyOf(runs), size, now);
            entries.put(job, entry);
        }
        return entry.runs();
    }

    /**
     * Adds a run this node recorded, when it belongs in a baseline and is not in the history yet (a refresh for another
     * run of the job may have read it from the store already).
     */
    public void recorded(RunRecord run) {
        if (run.outcome() != RunOutcome.SUCCEEDED || run.mode() != GuardMode.ENFORCE) {
            return;
        }
        entries.computeIfPresent(run.job(), (job, entry) -> {
            for (RunRecord known : entry.runs()) {
                if (known.runId().equals(run.runId())) {
                    return entry;
                }
            }
            List<RunRecord> runs =
                    new ArrayList<>(Math.min(entry.size(), entry.runs().size() + 1));
            runs.add(run);
            for (RunRecord older : entry.runs()) {
                if (runs.size() == entry.size()) {
                    break;
                }
                runs.add(older);
            }
            return new Entry(List.copyOf(runs), entry.size(), entry.readAt());
        });
    }
}
