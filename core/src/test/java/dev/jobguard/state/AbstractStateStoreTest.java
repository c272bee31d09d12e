package dev.jobguard.state;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardMode;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.Trip;
import dev.jobguard.TripReason;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.LongStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The {@link StateStore} contract, which every store must keep. One subclass per store (and per database for
 * {@link JdbcStateStore}) runs it all on an empty store.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractStateStoreTest {

    static final Instant T0 = Instant.parse("2024-05-06T07:08:09.123Z");
    static final Trip TRIP = new Trip(
            TripReason.TABLE_LIMIT, 200, 350, "invoices", "UPDATE invoices SET status = 'CANCELLED' WHERE status = ?");

    /** This node's clock, and the second node's: they decide when a time-boxed disable has ended. */
    protected final TestClock clock = new TestClock(T0);

    protected final TestClock otherClock = new TestClock(T0);

    protected StateStore store;
    /** A second node on the same state: another store object (on another pool for a database). */
    protected StateStore otherNode;

    /** A store on empty state, for one test. */
    protected abstract StateStore newStore();

    /** Another node's store on the same state as the last {@link #newStore()}. */
    protected abstract StateStore newOtherNode();

    @BeforeEach
    void openStores() {
        clock.set(T0);
        otherClock.set(T0);
        store = newStore();
        otherNode = newOtherNode();
    }

    @Test
    void anUnknownJobReadsAsEnabledWithoutOverrideAtVersionZero() {
        StateStore.JobStates states = store.read("never-seen");

        assertThat(states.job()).isEqualTo(JobState.initial("never-seen"));
        assertThat(states.global()).isEqualTo(JobState.initial(JobState.GLOBAL));
        assertThat(states.runnable()).isTrue();
        assertThat(store.jobs()).isEmpty();
    }

    @Test
    void aChangeIsReadBackWithStatusOverrideReasonActorTimeAndANewVersion() {
        JobState disabled = store.change(
                new StateChange("invoices", JobStatus.DISABLED, null, "tripped: too many rows", "jobguard@n1", T0));
        JobState enabled = store.change(new StateChange(
                "invoices", JobStatus.ENABLED, GuardMode.DRY_RUN, "fixed in 1.2.1", "alice", T0.plusSeconds(60)));

        assertThat(disabled)
                .isEqualTo(new JobState(
                        "invoices", JobStatus.DISABLED, null, "tripped: too many rows", "jobguard@n1", T0, 1));
        assertThat(enabled)
                .isEqualTo(new JobState(
                        "invoices",
                        JobStatus.ENABLED,
                        GuardMode.DRY_RUN,
                        "fixed in 1.2.1",
                        "alice",
                        T0.plusSeconds(60),
                        2));
        assertThat(store.read("invoices").job()).isEqualTo(enabled);
        assertThat(otherNode.read("invoices").job()).isEqualTo(enabled);
    }

    @Test
    void aDisableOnOneNodeStopsTheJobOnTheOther() {
        store.change(new StateChange("invoices", JobStatus.DISABLED, null, "trip", "jobguard@n1", T0));

        assertThat(otherNode.read("invoices").runnable()).isFalse();
    }

    @Test
    void instantsAreKeptToTheMillisecond() {
        Instant precise = Instant.parse("2024-05-06T07:08:09.123456789Z");

        store.change(new StateChange("invoices", JobStatus.DISABLED, null, "r", "a", precise));
        store.runStarted(RunRecord.started("run-1", "invoices", "n1", GuardMode.ENFORCE, precise));

        assertThat(store.read("invoices").job().changedAt()).isEqualTo(T0);
        assertThat(store.run("run-1").orElseThrow().startedAt()).isEqualTo(T0);
    }

    @Test
    void theGlobalSwitchStopsEveryJobAndIsLeftOutOfTheJobList() {
        store.change(new StateChange("invoices", JobStatus.ENABLED, null, "ok", "alice", T0));
        store.change(new StateChange(JobState.GLOBAL, JobStatus.DISABLED, null, "maintenance", "bob", T0));

        StateStore.JobStates states = otherNode.read("invoices");
        assertThat(states.job().isDisabled()).isFalse();
        assertThat(states.global())
                .isEqualTo(new JobState(JobState.GLOBAL, JobStatus.DISABLED, null, "maintenance", "bob", T0, 1));
        assertThat(states.runnable()).isFalse();
        assertThat(store.read("never-seen").runnable()).isFalse();
        assertThat(store.jobs()).extracting(JobState::job).containsExactly("invoices");
    }

    @Test
    void jobsListsEveryStoredJobByName() {
        store.change(new StateChange("reports", JobStatus.ENABLED, GuardMode.OBSERVE, "tuning", "alice", T0));
        store.change(new StateChange("invoices", JobStatus.DISABLED, null, "trip", "jobguard@n1", T0));
        store.change(new StateChange("invoices", JobStatus.ENABLED, null, "fixed", "bob", T0.plusSeconds(1)));

        assertThat(store.jobs())
                .containsExactly(
                        new JobState("invoices", JobStatus.ENABLED, null, "fixed", "bob", T0.plusSeconds(1), 2),
                        new JobState("reports", JobStatus.ENABLED, GuardMode.OBSERVE, "tuning", "alice", T0, 1));
    }

    @Test
    void jobNamesAreThoseWithAStoredStateAndThoseThatOnlyRanSortedWithoutTheGlobalRow() {
        store.change(new StateChange("reports", JobStatus.DISABLED, null, "trip", "jobguard@n1", T0));
        store.change(new StateChange(JobState.GLOBAL, JobStatus.ENABLED, null, "back", "bob", T0));
        store.runStarted(RunRecord.started("run-1", "cleanup", "node-a", GuardMode.ENFORCE, T0));
        store.runStarted(RunRecord.started("run-2", "reports", "node-a", GuardMode.ENFORCE, T0));
        otherNode.runStarted(RunRecord.started("run-3", "archive", "node-b", GuardMode.ENFORCE, T0));

        assertThat(otherNode.jobNames()).containsExactly("archive", "cleanup", "reports");
        assertThat(store.jobs()).extracting(JobState::job).containsExactly("reports");
    }

    @Test
    void aTripTheGuardFoundBeforeItsStatementRanIsRecordedAsSuch() {
        RunRecord started = RunRecord.started("run-pre", "invoices", "node-a", GuardMode.ENFORCE, T0);
        store.runStarted(started);
        Trip refused = TRIP.refusedBeforeExecution();

        store.runEnded(end(started, RunOutcome.TRIPPED, refused, "refused", 0, false, Map.of()));

        Trip read = otherNode.run("run-pre").orElseThrow().trip();
        assertThat(read).isEqualTo(refused);
        assertThat(read.beforeExecution()).isTrue();
        assertThat(read.describe()).contains("at least 350 rows would change").contains("refused before execution");
    }

    @Test
    void aRunIsRecordedFromStartToEndWithItsRowsPerTableAndItsTrip() {
        RunRecord started = RunRecord.started("run-1", "invoices", "node-a", GuardMode.ENFORCE, T0);
        store.runStarted(started);

        assertThat(otherNode.run("run-1")).contains(started);
        assertThat(otherNode.run("run-1").orElseThrow().running()).isTrue();

        RunRecord ended = end(
                started,
                RunOutcome.TRIPPED,
                TRIP,
                "limit crossed",
                352,
                true,
                Map.of(
                        "invoices", Map.of(Operation.UPDATE, 350L, Operation.DELETE, 1L),
                        "audit_log", Map.of(Operation.INSERT, 1L)));
        store.runEnded(ended);

        RunRecord read = otherNode.run("run-1").orElseThrow();
        assertThat(read).isEqualTo(ended);
        assertThat(read.trip()).isEqualTo(TRIP);
        assertThat(read.rowsChanged("invoices")).isEqualTo(351);
        assertThat(read.duration()).hasMillis(1500);
        assertThat(store.runs("invoices", 10)).containsExactly(ended);
    }

    @Test
    void aTripRefusedBeforeExecutionIsReadBackAsSuchSoItsRecordDoesNotClaimRowsChanged() {
        Trip refused = new Trip(
                        TripReason.MAX_ROWS_CHANGED,
                        50,
                        51,
                        "invoices",
                        "UPDATE invoices SET status = 'CANCELLED' WHERE due_date < ?")
                .refusedBeforeExecution();
        RunRecord started = RunRecord.started("run-p", "invoices", "node-a", GuardMode.ENFORCE, T0);
        store.runStarted(started);
        RunRecord ended = end(started, RunOutcome.TRIPPED, refused, null, 0, false, Map.of());
        store.runEnded(ended);

        Trip read = otherNode.run("run-p").orElseThrow().trip();
        assertThat(read).isEqualTo(refused);
        assertThat(read.beforeExecution()).isTrue();
        assertThat(read.describe()).contains("at least 51 rows would change").doesNotContain("51 rows changed");
        assertThat(store.runs("invoices", 1).get(0).trip().beforeExecution()).isTrue();
    }

    @Test
    void aRunThatNeverStartedIsRecordedWhenItEnds() {
        RunRecord skipped = end(
                RunRecord.started("run-s", "invoices", "node-a", GuardMode.ENFORCE, T0),
                RunOutcome.SKIPPED,
                null,
                "job disabled by alice: trip",
                0,
                false,
                Map.of());

        store.runEnded(skipped);

        assertThat(store.run("run-s")).contains(skipped);
        assertThat(store.run("run-s").orElseThrow().trip()).isNull();
    }

    @Test
    void anUnknownRunOrJobHasNoRuns() {
        assertThat(store.run("no-such-run")).isEmpty();
        assertThat(store.runs("no-such-job", 10)).isEmpty();
        assertThat(store.runs("no-such-job", RunOutcome.SUCCEEDED, GuardMode.ENFORCE, 10))
                .isEmpty();
    }

    @Test
    void runsAreNewestFirstWithinTheLimitAndOnlyOfTheJob() {
        List<RunRecord> runs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            RunRecord run = succeeded(
                    RunRecord.started("run-" + i, "invoices", "n1", GuardMode.ENFORCE, T0.plusSeconds(i)),
                    Map.of("invoices", Map.of(Operation.UPDATE, (long) i)));
            store.runEnded(run);
            runs.add(run);
        }
        RunRecord tieB = RunRecord.started("run-tie-b", "invoices", "n2", GuardMode.ENFORCE, T0.plusSeconds(10));
        RunRecord tieA = RunRecord.started("run-tie-a", "invoices", "n1", GuardMode.ENFORCE, T0.plusSeconds(10));
        store.runStarted(tieB);
        store.runStarted(tieA);
        store.runEnded(succeeded(
                RunRecord.started("other", "reports", "n1", GuardMode.ENFORCE, T0.plusSeconds(20)), Map.of()));

        assertThat(otherNode.runs("invoices", 4)).containsExactly(tieA, tieB, runs.get(4), runs.get(3));
        assertThat(otherNode.runs("invoices", 100)).hasSize(7).last().isEqualTo(runs.get(0));
        assertThat(otherNode.runs("invoices", 0)).isEmpty();
        assertThat(otherNode.runs("invoices", 3).get(2).rowsByTable())
                .isEqualTo(Map.of("invoices", Map.of(Operation.UPDATE, 4L)));
    }

    @Test
    void filteredRunsHaveOneOutcomeInOneMode() {
        RunRecord enforced = succeeded(started("a", 1, GuardMode.ENFORCE), Map.of("t", Map.of(Operation.INSERT, 3L)));
        RunRecord enforcedOlder = succeeded(started("b", 0, GuardMode.ENFORCE), Map.of());
        RunRecord dryRun = succeeded(started("c", 2, GuardMode.DRY_RUN), Map.of());
        RunRecord failed = end(started("d", 3, GuardMode.ENFORCE), RunOutcome.FAILED, null, "boom", 0, false, null);
        RunRecord running = started("e", 4, GuardMode.ENFORCE);
        for (RunRecord run : List.of(enforced, enforcedOlder, dryRun, failed)) {
            store.runEnded(run);
        }
        store.runStarted(running);

        assertThat(store.runs("invoices", RunOutcome.SUCCEEDED, GuardMode.ENFORCE, 10))
                .containsExactly(enforced, enforcedOlder);
        assertThat(store.runs("invoices", RunOutcome.SUCCEEDED, GuardMode.ENFORCE, 1))
                .containsExactly(enforced);
        assertThat(store.runs("invoices", RunOutcome.SUCCEEDED, GuardMode.DRY_RUN, 10))
                .containsExactly(dryRun);
        assertThat(store.runs("invoices", RunOutcome.FAILED, GuardMode.ENFORCE, 10))
                .containsExactly(failed);
        assertThat(store.runs("invoices", null, GuardMode.ENFORCE, 10)).containsExactly(running);
    }

    @Test
    void abandoningTouchesOnlyTheJobsRunsStillRunningThatStartedBeforeTheCutoff() {
        RunRecord old = started("old", 0, GuardMode.ENFORCE);
        RunRecord recent = started("recent", 100, GuardMode.ENFORCE);
        RunRecord oldEnded = succeeded(started("old-ended", 1, GuardMode.ENFORCE), Map.of());
        RunRecord otherJob = RunRecord.started("other-job", "reports", "n1", GuardMode.ENFORCE, T0);
        store.runStarted(old);
        store.runStarted(recent);
        store.runEnded(oldEnded);
        store.runStarted(otherJob);
        Instant now = T0.plusSeconds(200);

        int abandoned = otherNode.abandonRuns("invoices", T0.plusSeconds(50), now);

        assertThat(abandoned).isEqualTo(1);
        RunRecord marked = store.run("old").orElseThrow();
        assertThat(marked.outcome()).isEqualTo(RunOutcome.ABANDONED);
        assertThat(marked.endedAt()).isEqualTo(now);
        assertThat(marked.detail()).isEqualTo(AbandonedRuns.detail("n1")).contains("node n1");
        assertThat(store.run("recent")).contains(recent);
        assertThat(store.run("old-ended")).contains(oldEnded);
        assertThat(store.run("other-job")).contains(otherJob);
        assertThat(store.abandonRuns("invoices", T0.plusSeconds(50), now)).isZero();
    }

    @Test
    void aRunThatEndsAfterBeingAbandonedKeepsItsRealEnd() {
        RunRecord slow = started("slow", 0, GuardMode.ENFORCE);
        store.runStarted(slow);
        store.abandonRuns("invoices", T0.plusSeconds(60), T0.plusSeconds(120));

        RunRecord ended = succeeded(slow, Map.of("invoices", Map.of(Operation.UPDATE, 7L)));
        otherNode.runEnded(ended);
        RunRecord endedAgain = succeeded(slow, Map.of("invoices", Map.of(Operation.DELETE, 2L)));
        otherNode.runEnded(endedAgain);

        assertThat(store.run("slow")).contains(endedAgain);
    }

    @Test
    void concurrentChangesFromTwoNodesAreEachAppliedOnceAndTheLastOneStays() throws Exception {
        int threadsPerNode = 4;
        int changesPerThread = 25;
        int total = 2 * threadsPerNode * changesPerThread;
        ExecutorService threads = Executors.newFixedThreadPool(2 * threadsPerNode);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<JobState>>> futures = new ArrayList<>();
        try {
            for (int node = 0; node < 2; node++) {
                StateStore nodeStore = node == 0 ? store : otherNode;
                for (int thread = 0; thread < threadsPerNode; thread++) {
                    String name = "n" + node + "-t" + thread;
                    futures.add(threads.submit(() -> {
                        start.await();
                        List<JobState> applied = new ArrayList<>();
                        for (int i = 0; i < changesPerThread; i++) {
                            JobStatus status = i % 2 == 0 ? JobStatus.DISABLED : JobStatus.ENABLED;
                            applied.add(nodeStore.change(new StateChange(
                                    "contended", status, null, name + "-c" + i, name, T0.plusMillis(i))));
                        }
                        return applied;
                    }));
                }
            }
            start.countDown();
            List<JobState> applied = new ArrayList<>();
            for (Future<List<JobState>> future : futures) {
                applied.addAll(future.get(120, TimeUnit.SECONDS));
            }

            assertThat(applied)
                    .extracting(JobState::version)
                    .containsExactlyInAnyOrderElementsOf(
                            LongStream.rangeClosed(1, total).boxed().toList());
            Set<String> reasons = new HashSet<>();
            applied.forEach(state -> reasons.add(state.reason()));
            assertThat(reasons).hasSize(total);
            JobState last = applied.stream()
                    .filter(state -> state.version() == total)
                    .findFirst()
                    .orElseThrow();
            assertThat(store.read("contended").job()).isEqualTo(last);
            assertThat(otherNode.read("contended").job()).isEqualTo(last);
            assertThat(store.history("contended", 2 * total))
                    .as("one audit entry per change applied, none for a lost race")
                    .hasSize(total)
                    .extracting(JobAction::reason)
                    .containsExactlyInAnyOrderElementsOf(reasons);
        } finally {
            threads.shutdownNow();
        }
    }

    @Test
    void aTimeBoxedDisableEndsByItselfWhenReadAtItsEndAsDoneByJobguardWithTheOriginalReason() {
        Instant until = T0.plus(Duration.ofHours(2));
        store.change(new StateChange(
                "invoices", JobStatus.DISABLED, null, "INC-7: warehouse migration", "alice", T0, until, null));

        clock.advance(Duration.ofMinutes(119));
        JobState before = store.read("invoices").job();
        assertThat(before.isDisabled()).isTrue();
        assertThat(before.disabledUntil()).isEqualTo(until);

        clock.set(until);
        JobState after = store.read("invoices").job();

        assertThat(after)
                .isEqualTo(new JobState(
                        "invoices",
                        JobStatus.ENABLED,
                        null,
                        "INC-7: warehouse migration",
                        JobAction.SYSTEM_ACTOR,
                        until,
                        2,
                        null));
        assertThat(store.history("invoices", 10))
                .containsExactly(
                        new JobAction(
                                "invoices",
                                JobAction.Kind.EXPIRED,
                                JobStatus.DISABLED,
                                JobStatus.ENABLED,
                                null,
                                "INC-7: warehouse migration",
                                JobAction.SYSTEM_ACTOR,
                                until,
                                null,
                                until),
                        new JobAction(
                                "invoices",
                                JobAction.Kind.DISABLED,
                                null,
                                JobStatus.DISABLED,
                                null,
                                "INC-7: warehouse migration",
                                "alice",
                                T0,
                                null,
                                until));
    }

    @Test
    void theJobListEndsAnExpiredDisableToo() {
        store.change(
                new StateChange("invoices", JobStatus.DISABLED, null, "INC-7", "alice", T0, T0.plusSeconds(60), null));
        clock.advance(Duration.ofMinutes(5));

        assertThat(store.jobs()).singleElement().satisfies(state -> {
            assertThat(state.isDisabled()).isFalse();
            assertThat(state.actor()).isEqualTo(JobAction.SYSTEM_ACTOR);
        });
    }

    @Test
    void twoNodesReadingAnExpiredDisableAtOnceEnableItOnce() throws Exception {
        store.change(
                new StateChange("invoices", JobStatus.DISABLED, null, "INC-7", "alice", T0, T0.plusSeconds(60), null));
        clock.advance(Duration.ofMinutes(2));
        otherClock.advance(Duration.ofMinutes(2));
        ExecutorService threads = Executors.newFixedThreadPool(8);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<JobState>> reads = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                StateStore node = i % 2 == 0 ? store : otherNode;
                reads.add(threads.submit(() -> {
                    start.await();
                    return node.read("invoices").job();
                }));
            }
            start.countDown();
            for (Future<JobState> read : reads) {
                assertThat(read.get(60, TimeUnit.SECONDS).isDisabled()).isFalse();
            }
        } finally {
            threads.shutdownNow();
        }

        assertThat(store.read("invoices").job().version()).isEqualTo(2);
        assertThat(otherNode.history("invoices", 10))
                .extracting(JobAction::kind)
                .containsExactly(JobAction.Kind.EXPIRED, JobAction.Kind.DISABLED);
    }

    @Test
    void anOperatorsEnableBeforeTheEndEndsATimeBoxedDisableAndNothingExpiresLater() {
        store.change(new StateChange(
                "invoices", JobStatus.DISABLED, null, "INC-7", "alice", T0, T0.plusSeconds(3600), null));
        store.change(new StateChange("invoices", JobStatus.ENABLED, null, "done early", "bob", T0.plusSeconds(60)));
        clock.advance(Duration.ofHours(2));

        JobState state = store.read("invoices").job();
        assertThat(state.actor()).isEqualTo("bob");
        assertThat(state.disabledUntil()).isNull();
        assertThat(store.history("invoices", 10))
                .extracting(JobAction::kind)
                .containsExactly(JobAction.Kind.ENABLED, JobAction.Kind.DISABLED);
    }

    @Test
    void everyChangeIsInTheAuditTrailNewestFirstWithFromAndToStatusModeActorAndRun() {
        store.change(new StateChange(
                "invoices", JobStatus.DISABLED, null, "tripped in run r-1", "jobguard@n1", T0, null, "r-1"));
        store.change(new StateChange(
                "invoices", JobStatus.ENABLED, GuardMode.DRY_RUN, "try the fix", "alice", T0.plusSeconds(1)));
        store.change(new StateChange("invoices", JobStatus.ENABLED, null, "fix works", "alice", T0.plusSeconds(2)));
        store.change(new StateChange(JobState.GLOBAL, JobStatus.DISABLED, null, "freeze", "carol", T0.plusSeconds(3)));
        store.change(new StateChange("reports", JobStatus.DISABLED, null, "noisy", "bob", T0.plusSeconds(4)));

        assertThat(store.history("invoices", 10))
                .extracting(
                        JobAction::kind,
                        JobAction::fromStatus,
                        JobAction::toStatus,
                        JobAction::mode,
                        JobAction::actor,
                        JobAction::runId)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(
                                JobAction.Kind.ENABLED, JobStatus.ENABLED, JobStatus.ENABLED, null, "alice", null),
                        org.assertj.core.groups.Tuple.tuple(
                                JobAction.Kind.MODE_PINNED,
                                JobStatus.DISABLED,
                                JobStatus.ENABLED,
                                GuardMode.DRY_RUN,
                                "alice",
                                null),
                        org.assertj.core.groups.Tuple.tuple(
                                JobAction.Kind.TRIPPED, null, JobStatus.DISABLED, null, "jobguard@n1", "r-1"));
        assertThat(store.history(null, 10))
                .extracting(JobAction::job)
                .containsExactly("reports", JobState.GLOBAL, "invoices", "invoices", "invoices");
        assertThat(store.history(null, 2)).extracting(JobAction::job).containsExactly("reports", JobState.GLOBAL);
        assertThat(otherNode.history(JobState.GLOBAL, 10))
                .singleElement()
                .extracting(JobAction::kind)
                .isEqualTo(JobAction.Kind.DISABLED);
    }

    @Test
    void aRevertIsAppendedToTheAuditTrailWithItsRun() {
        JobAction revert = new JobAction(
                "invoices",
                JobAction.Kind.REVERTED,
                null,
                null,
                null,
                "INC-7 undo",
                "alice",
                T0.plusSeconds(5),
                "r-9",
                null);
        store.append(revert);

        assertThat(otherNode.history("invoices", 5)).containsExactly(revert);
    }

    @Test
    void consecutiveSkipsForTheSameReasonAreOneRecordWithACountAndTheirFirstAndLastTime() {
        String first = store.runSkipped(skip("s-1", 0, "the job is DISABLED (INC-7)"));
        String second = store.runSkipped(skip("s-2", 10, "the job is DISABLED (INC-7)"));
        String third = otherNode.runSkipped(skip("s-3", 20, "the job is DISABLED (INC-7)"));

        assertThat(List.of(first, second, third)).containsOnly("s-1");
        RunRecord counted = store.run("s-1").orElseThrow();
        assertThat(counted.occurrences()).isEqualTo(3);
        assertThat(counted.startedAt()).isEqualTo(T0);
        assertThat(counted.endedAt()).isEqualTo(T0.plusSeconds(20).plusMillis(1));
        assertThat(store.run("s-2")).isEmpty();

        String otherReason = store.runSkipped(skip("s-4", 30, "all jobs are disabled (freeze)"));
        store.runEnded(succeeded(started("r-5", 40, GuardMode.ENFORCE), Map.of()));
        String afterARun = store.runSkipped(skip("s-6", 50, "all jobs are disabled (freeze)"));

        assertThat(otherReason).isEqualTo("s-4");
        assertThat(afterARun).as("a run in between starts a new count").isEqualTo("s-6");
        assertThat(store.runs("invoices", 10))
                .extracting(RunRecord::runId, RunRecord::occurrences)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("s-6", 1L),
                        org.assertj.core.groups.Tuple.tuple("r-5", 1L),
                        org.assertj.core.groups.Tuple.tuple("s-4", 1L),
                        org.assertj.core.groups.Tuple.tuple("s-1", 3L));
    }

    @Test
    void purgeDeletesEndedRunsAndAuditEntriesOlderThanTheCutoffAndKeepsRunningRuns() {
        store.runEnded(
                succeeded(started("old", 0, GuardMode.ENFORCE), Map.of("invoices", Map.of(Operation.UPDATE, 5L))));
        store.runStarted(started("old-but-running", 1, GuardMode.ENFORCE));
        store.runEnded(succeeded(started("new", 7200, GuardMode.ENFORCE), Map.of()));
        store.change(new StateChange("invoices", JobStatus.DISABLED, null, "old", "alice", T0));
        store.change(new StateChange("invoices", JobStatus.ENABLED, null, "new", "alice", T0.plusSeconds(7200)));

        StateStore.Purged purged = otherNode.purge(T0.plusSeconds(3600));

        assertThat(purged).isEqualTo(new StateStore.Purged(1, 1));
        assertThat(store.run("old")).isEmpty();
        assertThat(store.runs("invoices", 10)).extracting(RunRecord::runId).containsExactly("new", "old-but-running");
        assertThat(store.history("invoices", 10)).extracting(JobAction::reason).containsExactly("new");
        assertThat(store.read("invoices").job().reason())
                .as("the state itself is never purged")
                .isEqualTo("new");
    }

    @Test
    void aRunsStatementsAreKeptWithItsEndMostRowsFirstAtMostAHundredWithWhyOneWasNotPreflightedAndPurgedWithIt() {
        List<dev.jobguard.StatementSummary> statements = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            statements.add(new dev.jobguard.StatementSummary(
                    "UPDATE invoices SET status = ? WHERE id = " + i, "invoices", Operation.UPDATE, 1, i));
        }
        statements.add(new dev.jobguard.StatementSummary(
                "DELETE FROM invoices WHERE status = 'CANCELLED'",
                "invoices",
                Operation.DELETE,
                2,
                5000,
                "a parameter it needs was bound before the run started or from a stream"));
        RunRecord run = succeeded(started("r-1", 0, GuardMode.ENFORCE), Map.of());

        store.runEnded(run, statements);

        List<dev.jobguard.StatementSummary> kept = otherNode.statements("r-1");
        assertThat(kept).hasSize(StateStore.MAX_STATEMENTS);
        assertThat(kept.get(0))
                .isEqualTo(new dev.jobguard.StatementSummary(
                        "DELETE FROM invoices WHERE status = 'CANCELLED'",
                        "invoices",
                        Operation.DELETE,
                        2,
                        5000,
                        "a parameter it needs was bound before the run started or from a stream"));
        assertThat(kept.get(1).rows()).isEqualTo(119);
        assertThat(kept.get(1).notPreflighted()).isNull();
        assertThat(kept.get(99).rows()).isEqualTo(21);
        assertThat(store.statements("no-such-run")).isEmpty();

        store.purge(T0.plusSeconds(3600));
        assertThat(store.statements("r-1")).isEmpty();
    }

    static RunRecord skip(String runId, int second, String why) {
        return new RunRecord(
                runId,
                "invoices",
                "n1",
                GuardMode.ENFORCE,
                T0.plusSeconds(second),
                T0.plusSeconds(second).plusMillis(1),
                RunOutcome.SKIPPED,
                null,
                why,
                0,
                false,
                Map.of());
    }

    static RunRecord started(String runId, int second, GuardMode mode) {
        return RunRecord.started(runId, "invoices", "n1", mode, T0.plusSeconds(second));
    }

    static RunRecord succeeded(RunRecord started, Map<String, Map<Operation, Long>> rowsByTable) {
        long rows = rowsByTable.values().stream()
                .flatMap(counts -> counts.values().stream())
                .mapToLong(Long::longValue)
                .sum();
        return end(started, RunOutcome.SUCCEEDED, null, null, rows, false, rowsByTable);
    }

    static RunRecord end(
            RunRecord started,
            RunOutcome outcome,
            Trip trip,
            String detail,
            long rows,
            boolean lowerBound,
            Map<String, Map<Operation, Long>> rowsByTable) {
        return new RunRecord(
                started.runId(),
                started.job(),
                started.node(),
                started.mode(),
                started.startedAt(),
                started.startedAt().plusMillis(1500),
                outcome,
                trip,
                detail,
                rows,
                lowerBound,
                rowsByTable);
    }
}
