package dev.jobguard.internal.anomaly;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardMode;
import dev.jobguard.RunOutcome;
import dev.jobguard.state.InMemoryStateStore;
import dev.jobguard.state.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryCacheTest {

    private final InMemoryStateStore store = new InMemoryStateStore();
    private final HistoryCache cache = new HistoryCache(store, Duration.ofMinutes(1));
    private final Instant now = Instant.parse("2026-11-25T10:00:00Z");

    private RunRecord run(String id, RunOutcome outcome, GuardMode mode, long rows, Instant at) {
        return new RunRecord(id, "job", "node", mode, at, at, outcome, null, null, rows, false, Map.of());
    }

    @Test
    void runsThisNodeRecordsJoinTheHistoryWithoutAStoreRead() {
        store.runEnded(run("a", RunOutcome.SUCCEEDED, GuardMode.ENFORCE, 10, now.minusSeconds(60)));
        assertThat(cache.history("job", 2, now)).extracting(RunRecord::runId).containsExactly("a");

        RunRecord mine = run("b", RunOutcome.SUCCEEDED, GuardMode.ENFORCE, 20, now);
        cache.recorded(mine);
        cache.recorded(run("c", RunOutcome.TRIPPED, GuardMode.ENFORCE, 900, now));
        cache.recorded(run("d", RunOutcome.SUCCEEDED, GuardMode.DRY_RUN, 900, now));

        assertThat(cache.history("job", 2, now.plusSeconds(1)))
                .extracting(RunRecord::runId)
                .containsExactly("b", "a");
    }

    @Test
    void otherNodesRunsJoinAtTheNextRefresh() {
        assertThat(cache.history("job", 5, now)).isEmpty();
        store.runEnded(run("other-node", RunOutcome.SUCCEEDED, GuardMode.ENFORCE, 10, now.plusSeconds(1)));

        assertThat(cache.history("job", 5, now.plusSeconds(30))).isEmpty();
        assertThat(cache.history("job", 5, now.plusSeconds(61)))
                .extracting(RunRecord::runId)
                .containsExactly("other-node");
    }

    @Test
    void aRunAlreadyReadFromTheStoreIsNotCountedTwiceWhenThisNodeRecordsIt() {
        RunRecord mine = run("mine", RunOutcome.SUCCEEDED, GuardMode.ENFORCE, 5000, now);
        store.runEnded(run("a", RunOutcome.SUCCEEDED, GuardMode.ENFORCE, 10, now.minusSeconds(60)));
        store.runEnded(mine);
        // another run of the job refreshed the history between the store's record and the cache's
        assertThat(cache.history("job", 3, now)).extracting(RunRecord::runId).containsExactly("mine", "a");

        cache.recorded(mine);

        assertThat(cache.history("job", 3, now.plusSeconds(1)))
                .extracting(RunRecord::runId)
                .containsExactly("mine", "a");
    }

    @Test
    void aHistoryAsLongAsTheLargestSettingTakesOnlyTheRunsThereAre() {
        store.runEnded(run("a", RunOutcome.SUCCEEDED, GuardMode.ENFORCE, 10, now.minusSeconds(60)));
        assertThat(cache.history("job", Integer.MAX_VALUE, now)).hasSize(1);

        cache.recorded(run("b", RunOutcome.SUCCEEDED, GuardMode.ENFORCE, 20, now));

        assertThat(cache.history("job", Integer.MAX_VALUE, now.plusSeconds(1)))
                .extracting(RunRecord::runId)
                .containsExactly("b", "a");
    }
}
