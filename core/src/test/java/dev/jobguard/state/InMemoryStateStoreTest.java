package dev.jobguard.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardMode;
import org.junit.jupiter.api.Test;

class InMemoryStateStoreTest extends AbstractStateStoreTest {

    @Override
    protected StateStore newStore() {
        return new InMemoryStateStore(InMemoryStateStore.DEFAULT_MAX_RUNS_PER_JOB, clock);
    }

    @Override
    protected StateStore newOtherNode() {
        return store;
    }

    @Test
    void onlyTheMostRecentRunsOfEachJobAreKept() {
        InMemoryStateStore small = new InMemoryStateStore(3);
        for (int i = 0; i < 5; i++) {
            small.runStarted(started("run-" + i, i, GuardMode.ENFORCE));
        }
        small.runStarted(started("run-old", -10, GuardMode.ENFORCE));

        assertThat(small.runs("invoices", 10)).extracting(RunRecord::runId).containsExactly("run-4", "run-3", "run-2");
        assertThat(small.run("run-0")).isEmpty();
        assertThat(small.run("run-old")).isEmpty();
    }
}
