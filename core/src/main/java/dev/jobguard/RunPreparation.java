package dev.jobguard;

import dev.jobguard.anomaly.AnomalyPolicy;
import dev.jobguard.anomaly.Baseline;
import dev.jobguard.internal.anomaly.HistoryCache;
import dev.jobguard.internal.run.RunLimits;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStore;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What the guard does before an admitted run's job starts: marks the job's stale runs ABANDONED, computes the run's
 * limits from its policy and its baseline (runs that were reverted left out), and records the run as started.
 */
final class RunPreparation {

    /** How often a job looks for runs to mark ABANDONED. */
    static final Duration ABANDON_CHECK = Duration.ofMinutes(1);

    private final StateStore store;
    private final ChangeJournal journal;
    private final HistoryCache history;
    private final String node;
    private final Duration abandonAfter;
    /** When each job last looked for abandoned runs: at most once a minute, not on every run. */
    private final Map<String, Instant> abandonCheckedAt = new ConcurrentHashMap<>();

    RunPreparation(RunStores stores, GuardSettings settings) {
        this.store = stores.store();
        this.journal = stores.journal();
        this.history = stores.history();
        this.node = settings.node();
        this.abandonAfter = settings.abandonAfter();
    }

    /**
     * The run's limits, once its job's stale runs are abandoned and the run is recorded as started.
     *
     * @throws RuntimeException when the store fails (the run must not start)
     */
    RunLimits prepare(AdmittedRun run) {
        String job = run.jobName();
        GuardPolicy policy = run.policy();
        abandonStaleRuns(job, run.startedAt());
        RunLimits limits = limits(policy, run.startedAt());
        store.runStarted(RunRecord.started(run.runId(), job, node, policy.mode(), run.startedAt()));
        return limits;
    }

    private void abandonStaleRuns(String job, Instant now) {
        Instant last = abandonCheckedAt.get(job);
        if (last == null || !last.plus(ABANDON_CHECK).isAfter(now)) {
            store.abandonRuns(job, now.minus(abandonAfter), now);
            abandonCheckedAt.put(job, now);
        }
    }

    private RunLimits limits(GuardPolicy policy, Instant now) {
        RunLimits limits = RunLimits.from(policy);
        AnomalyPolicy anomaly = policy.anomaly();
        if (!anomaly.enabled()) {
            return limits;
        }
        List<RunRecord> recent = history.history(policy.jobName(), anomaly.history(), now);
        if (policy.journal() && journal.canRevert() && !recent.isEmpty()) {
            Set<String> reverted =
                    journal.reverted(recent.stream().map(RunRecord::runId).toList());
            recent = recent.stream()
                    .filter(run -> !reverted.contains(run.runId()))
                    .toList();
        }
        return recent.size() < anomaly.minRuns() ? limits : limits.withBaseline(Baseline.of(recent), anomaly);
    }
}
