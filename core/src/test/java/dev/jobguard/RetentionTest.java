package dev.jobguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobguard.lock.RunLock;
import dev.jobguard.state.InMemoryStateStore;
import dev.jobguard.state.JobStatus;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateChange;
import dev.jobguard.state.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The periodic purge: what it deletes, that one node does it under the lock, and its settings. */
class RetentionTest {

    private final TestClock clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));
    private final InMemoryStateStore store = new InMemoryStateStore(1000, clock);

    @Test
    void runsAndAuditEntriesOlderThanTheRetentionArePurgedAndNewerOnesKept() {
        store.runEnded(run("old", clock.instant().minus(Duration.ofDays(91))));
        store.runEnded(run("new", clock.instant().minus(Duration.ofDays(89))));
        store.change(new StateChange(
                "nightly",
                JobStatus.DISABLED,
                null,
                "old",
                "ops",
                clock.instant().minus(Duration.ofDays(100))));

        Retention.Purge purge =
                new Retention(store, null, null, clock, new Retention.Periods(Duration.ofDays(90), null)).purgeNow();

        assertThat(purge).isEqualTo(new Retention.Purge(1, 1, 0));
        assertThat(store.run("old")).isEmpty();
        assertThat(store.run("new")).isPresent();
    }

    @Test
    void onlyTheNodeThatTakesThePurgeLockPurgesAndItGivesTheLockBack() {
        store.runEnded(run("old", clock.instant().minus(Duration.ofDays(91))));
        List<String> events = new ArrayList<>();
        RunLock heldElsewhere = (name, atMostFor, now) -> {
            events.add("refused " + name);
            return null;
        };
        RunLock free = (name, atMostFor, now) -> {
            events.add("took " + name);
            return () -> events.add("released " + name);
        };

        assertThat(new Retention(store, null, heldElsewhere, clock, new Retention.Periods(Duration.ofDays(90), null))
                        .purgeNow())
                .isNull();
        assertThat(store.run("old")).isPresent();
        assertThat(new Retention(store, null, free, clock, new Retention.Periods(Duration.ofDays(90), null))
                        .purgeNow()
                        .runs())
                .isEqualTo(1);
        assertThat(events)
                .containsExactly(
                        "refused " + Retention.LOCK_NAME,
                        "took " + Retention.LOCK_NAME,
                        "released " + Retention.LOCK_NAME);
    }

    @Test
    void aRetentionShorterThanAnHourIsRefusedNamingTheSetting() {
        assertThatThrownBy(() -> JobGuard.builder().retention(Duration.ofMinutes(5)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("retention (PT5M)")
                .hasMessageContaining("at least an hour");
        assertThatThrownBy(() -> JobGuard.builder().journalRetention(Duration.ofDays(-1)))
                .hasMessageContaining("journalRetention");
    }

    @Test
    void aGuardWithoutRetentionPurgesNothing() {
        store.runEnded(run("ancient", clock.instant().minus(Duration.ofDays(4000))));
        JobGuard guard = JobGuard.builder().stateStore(store).clock(clock).build();

        assertThat(guard.purgeExpired()).isEqualTo(new Retention.Purge(0, 0, 0));
        assertThat(store.run("ancient")).isPresent();
        guard.close();
    }

    private static RunRecord run(String id, Instant startedAt) {
        return new RunRecord(
                id,
                "nightly",
                "n1",
                GuardMode.ENFORCE,
                startedAt,
                startedAt.plusSeconds(1),
                RunOutcome.SUCCEEDED,
                null,
                null,
                0,
                false,
                Map.of());
    }
}
