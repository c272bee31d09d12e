package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.GuardedTask;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.TripReason;
import dev.jobguard.anomaly.AnomalyPolicy;
import dev.jobguard.internal.metrics.GuardMetrics;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.notify.TripEvent;
import dev.jobguard.notify.TripListener;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.JobAction;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStore;
import dev.jobguard.state.TestClock;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.core.SimpleLock;
import net.javacrumbs.shedlock.provider.jdbctemplate.JdbcTemplateLockProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.jdbc.core.JdbcTemplate;

/**
 * Cluster-wide state on a real database: a trip disables the job for every node, the job's history limits its runs,
 * failures in a row disable it, an unreachable store fails closed. Two "nodes" are two JobGuards with pools of their
 * own on the same database.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractJobStateIntegrationTest {

    static final int INVOICES = 3000;

    private HikariDataSource poolA;
    private HikariDataSource poolB;
    private DataSource guardedA;
    private Invoices invoices;
    private String job;

    protected abstract TestDatabase database();

    /**
     * SQL that locks {@code jobguard_job} against every other session's reads until the session's transaction or
     * connection ends (a migration, a {@code VACUUM FULL}); null where the database has none.
     */
    protected String lockTheJobTableAgainstReads() {
        return null;
    }

    @BeforeAll
    void openPools() {
        poolA = database().pool(Map.of());
        poolB = database().pool(Map.of());
        guardedA = GuardedDataSource.wrap(poolA);
        invoices = new Invoices(poolA);
    }

    @AfterAll
    void closePools() {
        if (poolA != null) {
            poolA.close();
        }
        if (poolB != null) {
            poolB.close();
        }
    }

    @BeforeEach
    void freshJob() throws SQLException {
        invoices.reset(INVOICES);
        job = "job-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private JobGuard node(DataSource pool, String name) {
        return JobGuard.builder()
                .stateStore(JdbcStateStore.create(pool))
                .nodeName(name)
                .build();
    }

    private GuardPolicy.Builder policy() {
        return GuardPolicy.builder(job);
    }

    private void update(String sql) throws SQLException {
        try (Connection connection = guardedA.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private Map<String, String> jobRow(String name) throws SQLException {
        try (Connection connection = poolA.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT status, reason, actor, version FROM jobguard_job WHERE name = ?")) {
            query.setString(1, name);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Map.of();
                }
                return Map.of(
                        "status", row.getString(1),
                        "reason", row.getString(2),
                        "actor", row.getString(3),
                        "version", row.getString(4));
            }
        }
    }

    @Test
    void aTripDisablesTheJobInTheStoreAndTheOtherNodeSkipsIt() throws SQLException {
        JobGuard nodeA = node(poolA, "node-a");
        JobGuard nodeB = node(poolB, "node-b");
        AtomicInteger ranOnB = new AtomicInteger();

        RunReport tripped = nodeA.run(
                policy().maxRowsChanged(100).build(),
                () -> update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'"));
        RunReport onB = nodeB.run(policy().maxRowsChanged(100).build(), ranOnB::incrementAndGet);

        assertThat(tripped.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.cancelled()).isZero();
        assertThat(jobRow(job))
                .containsEntry("status", "DISABLED")
                .containsEntry("actor", "jobguard@node-a")
                .hasEntrySatisfying(
                        "reason",
                        reason -> assertThat(reason)
                                .contains("maxRowsChanged=100")
                                .contains(tripped.runId()));
        assertThat(onB.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(onB.detail()).hasValueSatisfying(detail -> assertThat(detail).contains("DISABLED"));
        assertThat(ranOnB).hasValue(0);

        nodeB.enable(job, "fixed in release 1.2.1", "alice");
        RunReport afterEnable = nodeA.run(policy().maxRowsChanged(100).build(), ranOnB::incrementAndGet);

        assertThat(afterEnable.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(ranOnB).hasValue(1);
        assertThat(jobRow(job)).containsEntry("status", "ENABLED").containsEntry("actor", "alice");
        assertThat(nodeA.runs(job, 10))
                .extracting(RunRecord::outcome)
                .containsExactly(RunOutcome.SUCCEEDED, RunOutcome.SKIPPED, RunOutcome.TRIPPED);
    }

    @Test
    void aTimeBoxedDisableStopsTheJobOnEveryNodeUntilItsEndThenEitherNodeRunsItAndTheTrailSaysJobguardEnabledIt()
            throws SQLException {
        Instant start = Instant.now();
        TestClock clockA = new TestClock(start);
        TestClock clockB = new TestClock(start);
        JobGuard nodeA = timedNode(poolA, "node-a", clockA);
        JobGuard nodeB = timedNode(poolB, "node-b", clockB);
        Instant until = start.plus(Duration.ofHours(2));
        GuardPolicy policy = policy().build();
        GuardedTask cancelTen = () -> update("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 10");

        nodeA.disable(job, "INC-9: warehouse migration", "alice", until);
        RunReport skippedOnB = nodeB.run(policy, cancelTen);
        clockA.advance(Duration.ofMinutes(30));
        RunReport skippedOnA = nodeA.run(policy, cancelTen);

        assertThat(skippedOnB.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(skippedOnB.detail())
                .hasValueSatisfying(detail -> assertThat(detail)
                        .contains("until " + until.truncatedTo(java.time.temporal.ChronoUnit.MILLIS)));
        assertThat(skippedOnA.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(skippedOnA.runId())
                .as("the second skip is counted into the first's record")
                .isEqualTo(skippedOnB.runId());
        assertThat(nodeA.runs(job, 5))
                .singleElement()
                .extracting(RunRecord::occurrences)
                .isEqualTo(2L);
        assertThat(invoices.cancelled()).isZero();

        clockA.advance(Duration.ofMinutes(90));
        clockB.advance(Duration.ofHours(2));
        RunReport ranOnB = nodeB.run(policy, cancelTen);

        assertThat(ranOnB.outcome()).as(ranOnB.summary()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.cancelled()).isEqualTo(10);
        assertThat(jobRow(job))
                .containsEntry("status", "ENABLED")
                .containsEntry("actor", JobAction.SYSTEM_ACTOR)
                .containsEntry("reason", "INC-9: warehouse migration");
        assertThat(nodeA.state(job).job().isDisabled()).isFalse();
        assertThat(nodeA.history(job, 10))
                .extracting(JobAction::kind, JobAction::actor)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(JobAction.Kind.EXPIRED, JobAction.SYSTEM_ACTOR),
                        org.assertj.core.groups.Tuple.tuple(JobAction.Kind.DISABLED, "alice"));
    }

    @Test
    void aTripAndARevertAreInTheJobsAuditTrailWithTheirRuns() throws SQLException {
        JobGuard guard = node(poolA, "node-a");
        RunReport kept = guard.run(
                policy().journal(true).build(), () -> update("UPDATE invoices SET amount = amount + 1 WHERE id <= 5"));
        RunReport tripped = guard.run(
                policy().maxRowsChanged(100).build(),
                () -> update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'"));
        guard.revert(kept.runId(), RevertOptions.DEFAULTS.withActor("alice").withReason("INC-7 undo"));
        guard.enable(job, "fixed in 1.2.1", "bob", GuardMode.DRY_RUN);

        assertThat(guard.history(job, 10))
                .extracting(JobAction::kind, JobAction::actor, JobAction::runId, JobAction::mode)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple(JobAction.Kind.MODE_PINNED, "bob", null, GuardMode.DRY_RUN),
                        org.assertj.core.groups.Tuple.tuple(JobAction.Kind.REVERTED, "alice", kept.runId(), null),
                        org.assertj.core.groups.Tuple.tuple(
                                JobAction.Kind.TRIPPED, "jobguard@node-a", tripped.runId(), null));
        assertThat(guard.history(job, 10).get(1).reason()).isEqualTo("INC-7 undo");
    }

    @Test
    void aRevertWhoseAuditEntryCannotBeWrittenIsNotApplied() throws SQLException {
        JobGuard guard = node(poolA, "node-a");
        java.math.BigDecimal before = amountOfTheFirstFive();
        RunReport kept = guard.run(
                policy().journal(true).build(), () -> update("UPDATE invoices SET amount = amount + 1 WHERE id <= 5"));
        String constraint = "jg_no_revert_" + job.substring(4);
        executeOnA("ALTER TABLE jobguard_action ADD CONSTRAINT " + constraint
                + " CHECK (action <> 'REVERTED' OR job <> '" + job + "')");
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> guard.revert(
                            kept.runId(),
                            RevertOptions.DEFAULTS.withActor("alice").withReason("INC-7 undo")))
                    .isInstanceOf(dev.jobguard.journal.RevertException.class)
                    .hasMessageContaining("nothing was applied");
        } finally {
            executeOnA("ALTER TABLE jobguard_action DROP CONSTRAINT " + constraint);
        }

        assertThat(amountOfTheFirstFive())
                .as("the run's +1 is still there")
                .isEqualByComparingTo(before.add(java.math.BigDecimal.valueOf(5)));
        assertThat(guard.revert(kept.runId(), RevertOptions.DEFAULTS.withActor("alice"))
                        .applied())
                .isTrue();
        assertThat(amountOfTheFirstFive()).isEqualByComparingTo(before);
        assertThat(guard.history(job, 5)).extracting(JobAction::kind).containsExactly(JobAction.Kind.REVERTED);
    }

    private java.math.BigDecimal amountOfTheFirstFive() throws SQLException {
        try (Connection connection = poolA.getConnection();
                Statement statement = connection.createStatement();
                ResultSet sum = statement.executeQuery("SELECT SUM(amount) FROM invoices WHERE id <= 5")) {
            sum.next();
            return sum.getBigDecimal(1);
        }
    }

    private void executeOnA(String sql) throws SQLException {
        try (Connection connection = poolA.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }

    private JobGuard timedNode(DataSource pool, String name, TestClock clock) {
        return JobGuard.builder()
                .stateStore(JdbcStateStore.builder(pool).clock(clock).build())
                .clock(clock)
                .nodeName(name)
                .build();
    }

    @Test
    void aRunFarAboveTheJobsBaselineTripsBelowTheHardLimitAndCommitsNothing() throws SQLException {
        JobGuard guard = node(poolA, "node-a");
        GuardPolicy policy = policy().maxRowsChanged(5000).build();
        for (int run = 0; run < 10; run++) {
            int from = run * 100 + 1;
            RunReport normal = guard.run(
                    policy,
                    () -> update("UPDATE invoices SET amount = amount + 1 WHERE id BETWEEN " + from + " AND "
                            + (from + 99)));
            assertThat(normal.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        }
        List<String> before = invoices.snapshot("invoices");

        RunReport big = guard.run(policy, () -> update("UPDATE invoices SET amount = 0 WHERE id <= 2000"));

        assertThat(big.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(big.trip().orElseThrow().reason()).isEqualTo(TripReason.ANOMALY);
        assertThat(big.trip().orElseThrow().limit()).isEqualTo(1000);
        assertThat(big.baseline()).hasValueSatisfying(baseline -> {
            assertThat(baseline.runs()).isEqualTo(10);
            assertThat(baseline.medianRows()).isEqualTo(100);
        });
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        assertThat(jobRow(job)).containsEntry("status", "DISABLED");
    }

    @Test
    void aTruncateTripsAJobWithABaselineAndNoHardLimitBeforeItExecutes() throws SQLException {
        JobGuard guard = node(poolA, "node-a");
        GuardPolicy policy = policy().build();
        for (int run = 0; run < 5; run++) {
            RunReport normal =
                    guard.run(policy, () -> update("UPDATE invoices SET amount = amount + 1 WHERE id <= 10"));
            assertThat(normal.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        }

        RunReport truncate = guard.run(policy, () -> update("TRUNCATE TABLE invoices"));

        assertThat(truncate.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(truncate.trip()).hasValueSatisfying(trip -> {
            assertThat(trip.reason()).isEqualTo(TripReason.WHOLE_TABLE_CHANGE);
            assertThat(trip.table()).isEqualTo("invoices");
            assertThat(trip.limit()).as("max(min-rows 50, 10 x median 10)").isEqualTo(100);
        });
        assertThat(invoices.count("invoices", "")).isEqualTo(INVOICES);
        assertThat(jobRow(job)).containsEntry("status", "DISABLED");
    }

    @Test
    void observeDryRunFailedTrippedAndSkippedRunsDoNotTeachTheBaseline() throws SQLException {
        JobGuard nodeA = node(poolA, "node-a");
        GuardPolicy policy = policy().anomaly(
                        AnomalyPolicy.builder().history(5).minRuns(3).build())
                .build();
        GuardPolicy unchecked =
                policy.toBuilder().anomaly(AnomalyPolicy.DISABLED).build();
        for (int run = 0; run < 3; run++) {
            nodeA.run(policy, () -> update("UPDATE invoices SET amount = amount + 1 WHERE id <= 10"));
        }
        String huge = "UPDATE invoices SET amount = amount + 1 WHERE id <= 2000";
        for (GuardMode mode :
                new GuardMode[] {GuardMode.OBSERVE, GuardMode.DRY_RUN, GuardMode.OBSERVE, GuardMode.DRY_RUN}) {
            assertThat(nodeA.run(unchecked.toBuilder().mode(mode).build(), () -> update(huge))
                            .outcome())
                    .isEqualTo(RunOutcome.SUCCEEDED);
        }
        assertThat(nodeA.run(unchecked, () -> {
                            update(huge);
                            throw new IllegalStateException("failed after its writes");
                        })
                        .outcome())
                .isEqualTo(RunOutcome.FAILED);
        assertThat(nodeA.run(policy, () -> update(huge)).outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(nodeA.run(policy, () -> update(huge)).outcome()).isEqualTo(RunOutcome.SKIPPED);
        nodeA.enable(job, "the big run was a bug, fixed", "alice");

        JobGuard freshNode = node(poolB, "node-b");
        RunReport big = freshNode.run(policy, () -> update("UPDATE invoices SET amount = amount + 1 WHERE id <= 500"));

        assertThat(big.baseline()).hasValueSatisfying(baseline -> {
            assertThat(baseline.runs()).isEqualTo(3);
            assertThat(baseline.medianRows()).isEqualTo(10);
        });
        assertThat(big.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(big.trip().orElseThrow().reason()).isEqualTo(TripReason.ANOMALY);
        assertThat(big.trip().orElseThrow().limit()).isEqualTo(100);
        assertThat(runCount("SUCCEEDED")).isEqualTo(7);
        assertThat(runCount("FAILED")).isEqualTo(1);
        assertThat(runCount("TRIPPED")).isEqualTo(2);
        assertThat(runCount("SKIPPED")).isEqualTo(1);
    }

    @Test
    void anAnomalyTripsReasonNamesTheBaselineAndTheSettingsTheLimitCameFrom() throws SQLException {
        JobGuard guard = node(poolA, "node-a");
        GuardPolicy policy = policy().build();
        for (int run = 0; run < 5; run++) {
            guard.run(policy, () -> update("UPDATE invoices SET amount = amount + 1 WHERE id <= 20"));
        }

        RunReport big = guard.run(policy, () -> update("UPDATE invoices SET amount = amount + 1 WHERE id <= 500"));

        assertThat(big.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(jobRow(job))
                .containsEntry("status", "DISABLED")
                .hasEntrySatisfying(
                        "reason",
                        reason -> assertThat(reason)
                                .contains("at least 201 rows would change, over the anomaly limit of 200")
                                .contains("refused before execution")
                                .contains("median 20 rows over 5 runs")
                                .contains("anomaly.factor")
                                .contains("anomaly.min-rows"));
    }

    @Test
    void revertedRunsDoNotTeachTheBaseline() throws SQLException {
        JobGuard guard = node(poolA, "node-a");
        GuardPolicy policy = policy().journal(true)
                .anomaly(AnomalyPolicy.builder().history(5).minRuns(2).build())
                .build();
        List<String> buggy = new ArrayList<>();
        for (int run = 0; run < 3; run++) {
            RunReport bad = guard.run(policy, () -> update("UPDATE invoices SET amount = amount + 1 WHERE id <= 300"));
            assertThat(bad.outcome()).as(bad.summary()).isEqualTo(RunOutcome.SUCCEEDED);
            buggy.add(0, bad.runId());
        }
        for (String runId : buggy) {
            guard.revert(runId, RevertOptions.DEFAULTS.withActor("alice").withReason("INC-7: the buggy release"));
        }
        for (int run = 0; run < 2; run++) {
            guard.run(policy, () -> update("UPDATE invoices SET amount = amount + 1 WHERE id <= 10"));
        }

        RunReport again = guard.run(policy, () -> update("UPDATE invoices SET amount = amount + 1 WHERE id <= 300"));

        assertThat(again.baseline()).hasValueSatisfying(baseline -> {
            assertThat(baseline.runs()).as("the 2 runs not reverted").isEqualTo(2);
            assertThat(baseline.medianRows()).isEqualTo(10);
        });
        assertThat(again.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(again.trip().orElseThrow().reason()).isEqualTo(TripReason.ANOMALY);
        assertThat(jobRow(job)).containsEntry("status", "DISABLED");
    }

    @Test
    void withTooLittleHistoryNoAnomalyLimitApplies() throws SQLException {
        JobGuard guard = node(poolA, "node-a");
        GuardPolicy policy = policy().build();
        for (int run = 0; run < 4; run++) {
            guard.run(policy, () -> update("UPDATE invoices SET amount = amount + 1 WHERE id <= 10"));
        }

        RunReport big = guard.run(policy, () -> update("UPDATE invoices SET amount = 0 WHERE id <= 2000"));

        assertThat(big.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(big.baseline()).isEmpty();
        assertThat(invoices.count("invoices", "amount = 0")).isEqualTo(2000);
    }

    @Test
    void threeFailuresInARowDisableTheJob() throws SQLException {
        JobGuard guard = node(poolA, "node-a");
        GuardPolicy policy = policy().build();
        AtomicInteger attempts = new AtomicInteger();
        GuardPolicy failing = policy;

        for (int i = 0; i < 3; i++) {
            RunReport failed = guard.run(failing, () -> {
                attempts.incrementAndGet();
                throw new IllegalStateException("remote service down");
            });
            assertThat(failed.outcome()).isEqualTo(RunOutcome.FAILED);
        }
        RunReport fourth = guard.run(failing, attempts::incrementAndGet);

        assertThat(attempts).hasValue(3);
        assertThat(fourth.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(jobRow(job))
                .containsEntry("status", "DISABLED")
                .hasEntrySatisfying("reason", reason -> assertThat(reason).contains("3 failed runs in a row"));
    }

    @Test
    void aSuccessBetweenFailuresResetsTheCount() throws SQLException {
        JobGuard guard = node(poolA, "node-a");
        GuardPolicy policy = policy().build();
        for (boolean fail : new boolean[] {true, true, false, true, true}) {
            guard.run(policy, () -> {
                if (fail) {
                    throw new IllegalStateException("flaky");
                }
            });
        }

        assertThat(guard.state(job).job().isDisabled()).isFalse();
    }

    @Test
    void failuresInARowDisableTheJobThoughOtherNodesRecordManySkipsBetweenThem() throws SQLException {
        JobGuard worker = node(poolA, "node-a");
        LockProvider heldByNodeA = configuration -> Optional.empty();
        JobGuard lockedOut = JobGuard.builder()
                .stateStore(JdbcStateStore.create(poolB))
                .nodeName("node-b")
                .lockProvider(heldByNodeA)
                .build();
        GuardPolicy policy = policy().maxConsecutiveFailures(3).build();

        for (int tick = 0; tick < 3; tick++) {
            for (int otherNodes = 0; tick > 0 && otherNodes < 20; otherNodes++) {
                assertThat(lockedOut.run(policy, () -> {}).outcome()).isEqualTo(RunOutcome.SKIPPED);
            }
            RunReport failed = worker.run(policy, () -> {
                throw new IllegalStateException("remote service down");
            });
            assertThat(failed.outcome()).isEqualTo(RunOutcome.FAILED);
        }

        assertThat(runCount("FAILED")).isEqualTo(3);
        assertThat(runCount("SKIPPED"))
                .as("the 20 skips between two failures are one record")
                .isEqualTo(2);
        assertThat(worker.runs(job, 10).stream()
                        .filter(run -> run.outcome() == RunOutcome.SKIPPED)
                        .mapToLong(RunRecord::occurrences)
                        .sum())
                .isEqualTo(40);
        assertThat(jobRow(job))
                .containsEntry("status", "DISABLED")
                .hasEntrySatisfying("reason", reason -> assertThat(reason).contains("3 failed runs in a row"));
    }

    @Test
    void anOperatorsEnableStartsTheCountOfFailuresInARowAfresh() throws SQLException {
        JobGuard nodeA = node(poolA, "node-a");
        JobGuard nodeB = node(poolB, "node-b");
        GuardPolicy policy = policy().maxConsecutiveFailures(3).build();
        GuardedTask failing = () -> {
            throw new IllegalStateException("remote service down");
        };
        for (int i = 0; i < 3; i++) {
            nodeA.run(policy, failing);
        }
        assertThat(jobRow(job)).containsEntry("status", "DISABLED");

        nodeB.enable(job, "remote service is back", "alice");
        RunReport firstAfterEnable = nodeA.run(policy, failing);

        assertThat(firstAfterEnable.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(jobRow(job)).containsEntry("status", "ENABLED").containsEntry("actor", "alice");

        nodeA.run(policy, failing);
        nodeA.run(policy, failing);

        assertThat(runCount("FAILED")).isEqualTo(6);
        assertThat(jobRow(job))
                .containsEntry("status", "DISABLED")
                .hasEntrySatisfying("reason", reason -> assertThat(reason).contains("3 failed runs in a row"));
    }

    @Test
    void aRunTrippedByMaxDurationKeepsItsCommittedWritesAndCountsTheirRows() throws SQLException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        JobGuard guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(poolA))
                .meterRegistry(registry)
                .build();
        GuardPolicy slow = policy().maxDuration(Duration.ofMillis(1))
                .tripOnMaxDuration(true)
                .build();

        RunReport tripped = guard.run(slow, () -> {
            update("UPDATE invoices SET amount = 7 WHERE id <= 40");
            Thread.sleep(20);
        });

        assertThat(tripped.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(tripped.trip().orElseThrow().reason()).isEqualTo(TripReason.MAX_DURATION);
        assertThat(invoices.count("invoices", "amount = 7"))
                .as("committed before the run's end")
                .isEqualTo(40);
        assertThat(jobRow(job)).containsEntry("status", "DISABLED");
        assertThat(registry.get(GuardMetrics.ROWS_CHANGED)
                        .tags("job", job, "table", "invoices", "operation", "UPDATE")
                        .counter()
                        .count())
                .isEqualTo(40);
    }

    private long runCount(String outcome) throws SQLException {
        try (Connection connection = poolA.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT COUNT(*) FROM jobguard_run WHERE job = ? AND outcome = ?")) {
            query.setString(1, job);
            query.setString(2, outcome);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    @Test
    void anUnreachableStoreSkipsTheJobAndTheCallerCarriesOn() {
        HikariDataSource closed = database().pool(Map.of());
        JdbcStateStore store = JdbcStateStore.create(closed);
        closed.close();
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        JobGuard guard =
                JobGuard.builder().stateStore(store).meterRegistry(registry).build();
        AtomicInteger ran = new AtomicInteger();

        RunReport report = guard.run(policy().build(), ran::incrementAndGet);

        assertThat(report.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(report.detail())
                .hasValueSatisfying(detail -> assertThat(detail).contains("could not"));
        assertThat(ran).hasValue(0);
        assertThat(registry.get(GuardMetrics.STATE_ERRORS)
                        .tag("job", job)
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void aRunLeftRunningByADeadNodeIsMarkedAbandonedAndDoesNotBlockTheJob() throws SQLException {
        StateStore store = JdbcStateStore.create(poolA);
        store.runStarted(RunRecord.started(
                "dead-" + job,
                job,
                "node-that-died",
                GuardMode.ENFORCE,
                Instant.now().minus(Duration.ofHours(7))));
        JobGuard guard = JobGuard.builder()
                .stateStore(store)
                .abandonAfter(Duration.ofHours(6))
                .build();

        RunReport report = guard.run(policy().build(), () -> update("UPDATE invoices SET amount = 1 WHERE id = 1"));

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(guard.run("dead-" + job))
                .hasValueSatisfying(dead -> assertThat(dead.outcome()).isEqualTo(RunOutcome.ABANDONED));
    }

    @Test
    void anOperatorModeOverrideAppliesToTheNextRunsWithoutARedeploy() throws SQLException {
        JobGuard guard = node(poolA, "node-a");
        guard.enable(job, "try the fix first", "alice", GuardMode.DRY_RUN);
        List<String> before = invoices.snapshot("invoices");

        RunReport dryRun = guard.run(policy().build(), () -> update("DELETE FROM invoices WHERE id <= 100"));

        assertThat(dryRun.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(dryRun.rowsChanged()).isEqualTo(100);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);

        guard.enable(job, "fix verified", "alice");
        RunReport live = guard.run(policy().build(), () -> update("DELETE FROM invoices WHERE id <= 100"));

        assertThat(live.mode()).isEqualTo(GuardMode.ENFORCE);
        assertThat(invoices.count("invoices", "")).isEqualTo(INVOICES - 100);
    }

    @Test
    void theGlobalSwitchStopsEveryJobOnEveryNode() throws SQLException {
        JobGuard nodeA = node(poolA, "node-a");
        JobGuard nodeB = node(poolB, "node-b");
        AtomicInteger ran = new AtomicInteger();
        try {
            nodeA.disableAll("incident 4711", "bob");

            RunReport skipped = nodeB.run(policy().build(), ran::incrementAndGet);

            assertThat(skipped.outcome()).isEqualTo(RunOutcome.SKIPPED);
            assertThat(skipped.detail())
                    .hasValueSatisfying(detail ->
                            assertThat(detail).contains("all jobs are disabled").contains("incident 4711"));
            assertThat(ran).hasValue(0);
        } finally {
            nodeB.enableAll("incident over", "bob");
        }
        assertThat(nodeA.run(policy().build(), ran::incrementAndGet).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(ran).hasValue(1);
    }

    @Test
    void observeModeRecordsWouldTripsAndDisablesNothing() throws SQLException {
        List<TripEvent> events = new CopyOnWriteArrayList<>();
        TripListener listener = new TripListener() {
            @Override
            public void onTrip(TripEvent event) {
                events.add(event);
            }
        };
        try (JobGuard guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(poolA))
                .listeners(listener)
                .build()) {
            RunReport report = guard.run(
                    policy().mode(GuardMode.OBSERVE).maxRowsChanged(10).build(),
                    () -> update("UPDATE invoices SET amount = 3 WHERE id <= 100"));

            assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(report.wouldTrips()).hasSize(1);
            assertThat(invoices.count("invoices", "amount = 3")).isEqualTo(100);
            assertThat(guard.state(job).job().isDisabled()).isFalse();
            assertThat(jobRow(job)).isEmpty();
        }
        assertThat(events)
                .singleElement()
                .satisfies(event -> assertThat(event.disabled()).isFalse());
    }

    @Test
    void aFailingListenerBreaksNeitherTheRunNorTheDisable() throws SQLException {
        TripListener broken = new TripListener() {
            @Override
            public void onTrip(TripEvent event) {
                throw new IllegalStateException("listener bug");
            }
        };
        try (JobGuard guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(poolA))
                .listeners(broken)
                .build()) {
            RunReport report =
                    guard.run(policy().maxRowsChanged(10).build(), () -> update("UPDATE invoices SET amount = 3"));

            assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        }
        assertThat(jobRow(job)).containsEntry("status", "DISABLED");
    }

    @Test
    void metricsCountRunsRowsTripsDurationAndTheDisabledJob() throws SQLException {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        JobGuard guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(poolA))
                .meterRegistry(registry)
                .build();

        guard.run(policy().maxRowsChanged(500).build(), () -> update("UPDATE invoices SET amount = 1 WHERE id <= 40"));
        guard.run(policy().maxRowsChanged(500).build(), () -> update("UPDATE invoices SET amount = 1"));
        guard.run(policy().maxRowsChanged(500).build(), () -> update("UPDATE invoices SET amount = 1 WHERE id = 1"));

        assertThat(registry.get(GuardMetrics.RUNS)
                        .tags("job", job, "outcome", "SUCCEEDED", "mode", "ENFORCE")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(GuardMetrics.RUNS)
                        .tags("job", job, "outcome", "TRIPPED")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(GuardMetrics.RUNS)
                        .tags("job", job, "outcome", "SKIPPED")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(GuardMetrics.ROWS_CHANGED)
                        .tags("job", job, "table", "invoices", "operation", "UPDATE")
                        .counter()
                        .count())
                .as("the tripped run's rows were rolled back and are not counted")
                .isEqualTo(40);
        assertThat(registry.get(GuardMetrics.TRIPS)
                        .tags("job", job, "reason", "MAX_ROWS_CHANGED")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(GuardMetrics.JOB_DISABLED)
                        .tag("job", job)
                        .gauge()
                        .value())
                .isEqualTo(1);
        assertThat(registry.get(GuardMetrics.RUN_DURATION)
                        .tag("job", job)
                        .timer()
                        .count())
                .isEqualTo(3);
    }

    @Test
    void aRunWhoseLockIsHeldElsewhereIsSkippedNotFailed() {
        LockProvider heldElsewhere = configuration -> Optional.empty();
        JobGuard guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(poolA))
                .lockProvider(heldElsewhere)
                .build();
        AtomicInteger ran = new AtomicInteger();

        RunReport report = guard.run(policy().build(), ran::incrementAndGet);

        assertThat(report.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(report.detail())
                .hasValueSatisfying(detail -> assertThat(detail).startsWith("LOCKED"));
        assertThat(ran).hasValue(0);
    }

    @Test
    void eachRunTakesAndReleasesTheJobsLock() {
        List<String> events = new CopyOnWriteArrayList<>();
        LockProvider recording = new LockProvider() {
            @Override
            public Optional<SimpleLock> lock(LockConfiguration configuration) {
                events.add("lock " + configuration.getName() + " " + configuration.getLockAtMostFor());
                return Optional.of(() -> events.add("unlock"));
            }
        };
        JobGuard guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(poolA))
                .lockProvider(recording)
                .build();

        guard.run(policy().lockAtMostFor(Duration.ofMinutes(5)).build(), () -> events.add("job"));

        assertThat(events).containsExactly("lock jobguard-" + job + " PT5M", "job", "unlock");
    }

    /** Node B with a lock provider that, before it grants the lock, lets {@code meanwhile} happen elsewhere. */
    private JobGuard nodeBWhoseLockIsGrantedAfter(GuardedTask meanwhile) {
        LockProvider grantedAfter = configuration -> {
            try {
                meanwhile.run();
            } catch (Exception failed) {
                throw new IllegalStateException(failed);
            }
            return Optional.of(() -> {});
        };
        return JobGuard.builder()
                .stateStore(JdbcStateStore.create(poolB))
                .nodeName("node-b")
                .lockProvider(grantedAfter)
                .build();
    }

    @Test
    void aTripOnAnotherNodeBetweenThisNodesStateReadAndItsLockSkipsTheRun() throws SQLException {
        JobGuard nodeA = node(poolA, "node-a");
        GuardPolicy policy = policy().maxRowsChanged(100).build();
        AtomicInteger ranOnB = new AtomicInteger();
        // node B has read the job's state (ENABLED) and waits for the lock; node A's run holds it, trips, disables
        // the job and lets the lock go, and B gets it
        JobGuard nodeB = nodeBWhoseLockIsGrantedAfter(() -> assertThat(nodeA.run(
                                policy, () -> update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'"))
                        .outcome())
                .isEqualTo(RunOutcome.TRIPPED));

        RunReport onB = nodeB.run(policy, ranOnB::incrementAndGet);

        assertThat(jobRow(job)).containsEntry("status", "DISABLED");
        assertThat(onB.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(onB.detail()).hasValueSatisfying(detail -> assertThat(detail).contains("DISABLED"));
        assertThat(ranOnB).hasValue(0);
        assertThat(nodeA.runs(job, 10))
                .extracting(RunRecord::outcome)
                .containsExactlyInAnyOrder(RunOutcome.SKIPPED, RunOutcome.TRIPPED);
    }

    @Test
    void aModePinnedBetweenThisNodesStateReadAndItsLockAppliesToTheRun() throws SQLException {
        JobGuard nodeA = node(poolA, "node-a");
        JobGuard nodeB = nodeBWhoseLockIsGrantedAfter(
                () -> nodeA.enable(job, "try the fix in dry-run first", "alice", GuardMode.DRY_RUN));
        List<String> before = invoices.snapshot("invoices");

        RunReport onB = nodeB.run(policy().build(), () -> update("DELETE FROM invoices WHERE id <= 100"));

        assertThat(onB.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(onB.rowsChanged()).isEqualTo(100);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    /**
     * An operator's open transaction that has locked the job's row in {@code jobguard_job} (a manual fix in psql, not
     * yet committed), on a connection of its own; closing it rolls back and lets the row go.
     */
    private Connection operatorLockingTheJobRow() throws SQLException {
        Connection operator = poolB.getConnection();
        operator.setAutoCommit(false);
        try (PreparedStatement lock =
                operator.prepareStatement("SELECT status FROM jobguard_job WHERE name = ? FOR UPDATE")) {
            lock.setString(1, job);
            try (ResultSet row = lock.executeQuery()) {
                assertThat(row.next()).isTrue();
            }
        }
        return operator;
    }

    private static void release(Connection operator) throws SQLException {
        operator.rollback();
        operator.close();
    }

    @Test
    void aDisableBlockedByALockedJobRowGivesUpAfterTheQueryTimeoutAndTheCallerCarriesOn() throws Exception {
        JobGuard guard = JobGuard.builder()
                .stateStore(JdbcStateStore.builder(poolA)
                        .queryTimeout(Duration.ofSeconds(1))
                        .build())
                .nodeName("node-a")
                .build();
        guard.enable(job, "first release", "alice");
        Connection operator = operatorLockingTheJobRow();
        ExecutorService schedulerThread = Executors.newSingleThreadExecutor();
        try {
            Future<RunReport> tick = schedulerThread.submit(() -> guard.run(
                    policy().maxRowsChanged(100).build(),
                    () -> update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'")));

            RunReport tripped = tick.get(15, TimeUnit.SECONDS);

            assertThat(tripped.outcome()).isEqualTo(RunOutcome.TRIPPED);
            assertThat(invoices.cancelled()).isZero();
        } finally {
            release(operator);
            schedulerThread.shutdown();
            assertThat(schedulerThread.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    /** Node A, whose store gives up after a second; the job ENABLED by an operator, so that its row exists. */
    private JobGuard nodeAWithAShortQueryTimeout() {
        JobGuard nodeA = JobGuard.builder()
                .stateStore(JdbcStateStore.builder(poolA)
                        .queryTimeout(Duration.ofSeconds(1))
                        .build())
                .nodeName("node-a")
                .build();
        nodeA.enable(job, "first release", "alice");
        return nodeA;
    }

    /** A run of node A that trips while an operator's transaction keeps the trip's disable from being stored. */
    private RunReport tripWhileTheJobRowIsLocked(JobGuard nodeA) throws SQLException {
        Connection operator = operatorLockingTheJobRow();
        try {
            return nodeA.run(
                    policy().maxRowsChanged(100).build(),
                    () -> update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'"));
        } finally {
            release(operator);
        }
    }

    @Test
    void aTripWhoseDisableCouldNotBeStoredDisablesTheJobBeforeItsNextRun() throws SQLException {
        JobGuard nodeA = nodeAWithAShortQueryTimeout();
        JobGuard nodeB = node(poolB, "node-b");
        AtomicInteger ran = new AtomicInteger();

        RunReport tripped = tripWhileTheJobRowIsLocked(nodeA);

        assertThat(tripped.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.cancelled()).isZero();
        assertThat(jobRow(job)).as("the disable timed out").containsEntry("status", "ENABLED");

        RunReport next = nodeA.run(policy().maxRowsChanged(100).build(), ran::incrementAndGet);

        assertThat(next.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(ran).hasValue(0);
        assertThat(jobRow(job))
                .containsEntry("status", "DISABLED")
                .containsEntry("actor", "jobguard@node-a")
                .hasEntrySatisfying("reason", reason -> assertThat(reason).contains(tripped.runId()));
        assertThat(nodeB.run(policy().maxRowsChanged(100).build(), ran::incrementAndGet)
                        .outcome())
                .isEqualTo(RunOutcome.SKIPPED);
        assertThat(ran).hasValue(0);
    }

    @Test
    void anOperatorsEnableAfterATripWhoseDisableCouldNotBeStoredLetsTheJobRun() throws SQLException {
        JobGuard nodeA = nodeAWithAShortQueryTimeout();
        JobGuard nodeB = node(poolB, "node-b");
        AtomicInteger ran = new AtomicInteger();
        assertThat(tripWhileTheJobRowIsLocked(nodeA).outcome()).isEqualTo(RunOutcome.TRIPPED);

        nodeB.enable(job, "limit raised, run it", "bob");
        RunReport next = nodeA.run(policy().maxRowsChanged(100).build(), ran::incrementAndGet);

        assertThat(next.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(ran).hasValue(1);
        assertThat(jobRow(job)).containsEntry("status", "ENABLED").containsEntry("actor", "bob");
    }

    /** A node whose runs take ShedLock's JDBC lock in table {@code shedlock} of the test database. */
    private JobGuard nodeWithShedLock(DataSource pool, String name) throws SQLException {
        try (Connection connection = pool.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS shedlock (name VARCHAR(64) NOT NULL PRIMARY KEY,"
                    + " lock_until TIMESTAMP(3) NULL, locked_at TIMESTAMP(3) NULL, locked_by VARCHAR(255) NOT NULL)");
        }
        LockProvider shedLock = new JdbcTemplateLockProvider(JdbcTemplateLockProvider.Configuration.builder()
                .withJdbcTemplate(new JdbcTemplate(pool))
                .usingDbTime()
                .withLockedByValue(name)
                .build());
        return JobGuard.builder()
                .stateStore(JdbcStateStore.create(pool))
                .nodeName(name)
                .lockProvider(shedLock)
                .build();
    }

    @Test
    void twoNodesFiringAtOnceRunTheJobOnceAndTheOtherRecordsALockedSkip() throws Exception {
        JobGuard nodeA = nodeWithShedLock(poolA, "node-a");
        JobGuard nodeB = nodeWithShedLock(poolB, "node-b");
        GuardPolicy policy = policy().build();
        AtomicInteger ranOnB = new AtomicInteger();
        ExecutorService otherNode = Executors.newSingleThreadExecutor();
        RunReport[] onB = new RunReport[1];
        try {
            RunReport onA = nodeA.run(policy, () -> {
                // node B's scheduler fires while node A's run is under way
                onB[0] = otherNode
                        .submit(() -> nodeB.run(policy, ranOnB::incrementAndGet))
                        .get(30, TimeUnit.SECONDS);
                update("UPDATE invoices SET amount = 7 WHERE id <= 10");
            });

            assertThat(onA.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        } finally {
            otherNode.shutdown();
        }
        assertThat(onB[0].outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(ranOnB).hasValue(0);
        assertThat(invoices.count("invoices", "amount = 7")).isEqualTo(10);
        assertThat(nodeA.run(onB[0].runId()))
                .hasValueSatisfying(skip -> assertThat(skip.detail()).startsWith("LOCKED"));
    }

    @Test
    void aRunLongerThanLockAtMostForKeepsItsLockSoNoOtherNodeRunsTheJobMeanwhile() throws Exception {
        // ShedLock's JDBC lock would expire after lockAtMostFor; the guard keeps it alive while the run lasts
        JobGuard nodeA = nodeWithShedLock(poolA, "node-a");
        JobGuard nodeB = nodeWithShedLock(poolB, "node-b");
        GuardPolicy policy = policy().lockAtMostFor(Duration.ofSeconds(30)).build();
        AtomicInteger ranOnB = new AtomicInteger();
        ExecutorService otherNode = Executors.newSingleThreadExecutor();
        RunReport[] onB = new RunReport[1];
        try {
            RunReport onA = nodeA.run(policy, () -> {
                Thread.sleep(Duration.ofSeconds(33).toMillis()); // past lockAtMostFor
                onB[0] = otherNode
                        .submit(() -> nodeB.run(policy, ranOnB::incrementAndGet))
                        .get(30, TimeUnit.SECONDS);
                update("UPDATE invoices SET amount = 7 WHERE id <= 10");
            });

            assertThat(onA.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        } finally {
            otherNode.shutdown();
        }
        assertThat(onB[0].outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(onB[0].detail())
                .hasValueSatisfying(detail -> assertThat(detail).startsWith("LOCKED"));
        assertThat(ranOnB).hasValue(0);
        assertThat(nodeB.run(policy, ranOnB::incrementAndGet).outcome())
                .as("released when the run ended")
                .isEqualTo(RunOutcome.SUCCEEDED);
    }

    @Test
    void twoNodesTrippingTheSameJobAtOnceBothRollBackAndDisableItOnce() throws Exception {
        SimpleMeterRegistry metersA = new SimpleMeterRegistry();
        SimpleMeterRegistry metersB = new SimpleMeterRegistry();
        JobGuard nodeA = JobGuard.builder()
                .stateStore(JdbcStateStore.create(poolA))
                .nodeName("node-a")
                .meterRegistry(metersA)
                .build();
        JobGuard nodeB = JobGuard.builder()
                .stateStore(JdbcStateStore.create(poolB))
                .nodeName("node-b")
                .meterRegistry(metersB)
                .build();
        GuardPolicy policy = policy().maxRowsChanged(100).build();
        java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
        ExecutorService nodes = Executors.newFixedThreadPool(2);
        try {
            Future<RunReport> onA = nodes.submit(() -> nodeA.run(policy, () -> {
                together.await(10, TimeUnit.SECONDS);
                update("UPDATE invoices SET status = 'CANCELLED' WHERE id <= 500 AND status = 'OPEN'");
            }));
            Future<RunReport> onB = nodes.submit(() -> nodeB.run(policy, () -> {
                together.await(10, TimeUnit.SECONDS);
                update("UPDATE invoices SET status = 'CANCELLED' WHERE id > 500 AND status = 'OPEN'");
            }));

            assertThat(onA.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(RunOutcome.TRIPPED);
            assertThat(onB.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(RunOutcome.TRIPPED);
        } finally {
            nodes.shutdown();
        }
        assertThat(invoices.cancelled()).isZero();
        assertThat(runCount("TRIPPED")).isEqualTo(2);
        assertThat(jobRow(job))
                .containsEntry("status", "DISABLED")
                .hasEntrySatisfying("actor", actor -> assertThat(actor).isIn("jobguard@node-a", "jobguard@node-b"));
        assertThat(metersA.find(GuardMetrics.STATE_ERRORS).counter()).isNull();
        assertThat(metersB.find(GuardMetrics.STATE_ERRORS).counter()).isNull();
    }

    @Test
    void anOperatorsEnableRacingATripLeavesOneWholeStateNeverAMixOfBoth() throws Exception {
        JobGuard nodeA = node(poolA, "node-a");
        JobGuard operatorNode = node(poolB, "node-b");
        GuardPolicy policy = policy().maxRowsChanged(100).build();
        ExecutorService operator = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 10; round++) {
                operatorNode.disable(job, "round " + round, "carol");
                operatorNode.enable(job, "round " + round, "carol");
                java.util.concurrent.CyclicBarrier together = new java.util.concurrent.CyclicBarrier(2);
                String reason = "fixed in round " + round;
                Future<?> enable = operator.submit(() -> {
                    together.await(10, TimeUnit.SECONDS);
                    return operatorNode.enable(job, reason, "bob");
                });
                RunReport tripped = nodeA.run(policy, () -> {
                    together.await(10, TimeUnit.SECONDS); // the enable goes out while the trip is found and stored
                    update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
                });
                enable.get(30, TimeUnit.SECONDS);

                assertThat(tripped.outcome()).isEqualTo(RunOutcome.TRIPPED);
                assertThat(invoices.cancelled()).isZero();
                Map<String, String> row = jobRow(job);
                if ("DISABLED".equals(row.get("status"))) {
                    assertThat(row).containsEntry("actor", "jobguard@node-a");
                    assertThat(row.get("reason")).contains(tripped.runId());
                } else {
                    assertThat(row).containsEntry("status", "ENABLED").containsEntry("actor", "bob");
                }
            }
        } finally {
            operator.shutdown();
        }
    }

    @Test
    void theLockIsReleasedAfterATripAndAfterAFailureSoTheOtherNodeRunsNext() throws SQLException {
        JobGuard nodeA = nodeWithShedLock(poolA, "node-a");
        JobGuard nodeB = nodeWithShedLock(poolB, "node-b");
        GuardPolicy policy = policy().maxRowsChanged(100).build();
        AtomicInteger ranOnB = new AtomicInteger();

        assertThat(nodeA.run(policy, () -> update("UPDATE invoices SET amount = 0"))
                        .outcome())
                .isEqualTo(RunOutcome.TRIPPED);
        RunReport disabled = nodeB.run(policy, ranOnB::incrementAndGet);
        nodeA.enable(job, "fixed", "alice");
        RunReport afterTrip = nodeB.run(policy, ranOnB::incrementAndGet);
        assertThat(nodeA.run(policy, () -> {
                            throw new IllegalStateException("remote service down");
                        })
                        .outcome())
                .isEqualTo(RunOutcome.FAILED);
        RunReport afterFailure = nodeB.run(policy, ranOnB::incrementAndGet);

        assertThat(disabled.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(disabled.detail())
                .hasValueSatisfying(detail -> assertThat(detail).contains("DISABLED"));
        assertThat(afterTrip.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(afterFailure.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(ranOnB).hasValue(2);
    }

    @Test
    void aStateReadBlockedByALockedJobTableFailsClosedAfterTheQueryTimeout() throws Exception {
        String lockTable = lockTheJobTableAgainstReads();
        Assumptions.assumeTrue(lockTable != null, database().displayName() + " has no such lock");
        JobGuard guard = nodeAWithAShortQueryTimeout();
        AtomicInteger ran = new AtomicInteger();
        Connection migration = poolB.getConnection();
        migration.setAutoCommit(false);
        ExecutorService schedulerThread = Executors.newSingleThreadExecutor();
        try (Statement statement = migration.createStatement()) {
            statement.execute(lockTable);
            Future<RunReport> tick = schedulerThread.submit(() -> guard.run(policy().build(), ran::incrementAndGet));

            RunReport report = tick.get(15, TimeUnit.SECONDS);

            assertThat(report.outcome()).isEqualTo(RunOutcome.SKIPPED);
            assertThat(report.detail())
                    .hasValueSatisfying(detail -> assertThat(detail)
                            .contains("could not read the job's state")
                            .contains("query timeout of 1 s"));
            assertThat(ran).hasValue(0);
        } finally {
            migration.rollback();
            poolB.evictConnection(migration); // closed for real: a table lock may outlive the transaction
            schedulerThread.shutdown();
            assertThat(schedulerThread.awaitTermination(60, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void aNodeWithWarmCachesFollowsEveryOperatorChangeMadeOnAnotherNode() throws SQLException {
        JobGuard nodeA = node(poolA, "node-a");
        JobGuard nodeB = node(poolB, "node-b");
        GuardPolicy policy = policy().maxRowsChanged(100).build();
        for (int run = 0; run < 6; run++) { // B's baseline history and abandoned-run check are cached now
            int id = run + 1;
            assertThat(nodeB.run(policy, () -> update("UPDATE invoices SET amount = 9 WHERE id = " + id))
                            .outcome())
                    .isEqualTo(RunOutcome.SUCCEEDED);
        }
        List<String> before = invoices.snapshot("invoices");

        assertThat(nodeA.run(policy, () -> update("UPDATE invoices SET amount = 0"))
                        .outcome())
                .isEqualTo(RunOutcome.TRIPPED);
        RunReport afterTrip = nodeB.run(policy, () -> update("UPDATE invoices SET amount = 1 WHERE id = 1"));
        nodeA.enable(job, "try the fix", "alice", GuardMode.DRY_RUN);
        RunReport pinned = nodeB.run(policy, () -> update("UPDATE invoices SET amount = 2 WHERE id <= 50"));
        nodeA.disableAll("incident 4712", "bob");
        RunReport allOff = nodeB.run(policy, () -> update("UPDATE invoices SET amount = 3 WHERE id = 1"));
        nodeA.enableAll("incident over", "bob");
        List<String> unchanged = invoices.snapshot("invoices");
        nodeA.enable(job, "fix verified", "alice");
        RunReport enforced = nodeB.run(policy, () -> update("UPDATE invoices SET amount = 4 WHERE id <= 50"));

        assertThat(afterTrip.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(pinned.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(pinned.rowsChanged()).isEqualTo(50);
        assertThat(allOff.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(unchanged).isEqualTo(before);
        assertThat(enforced.mode()).isEqualTo(GuardMode.ENFORCE);
        assertThat(enforced.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(invoices.count("invoices", "amount = 4")).isEqualTo(50);
    }

    @Test
    void aRunUnderWayOnAnotherNodeWhenTheJobTripsIsTheLastOneThere() throws Exception {
        JobGuard nodeA = node(poolA, "node-a");
        JobGuard nodeB = node(poolB, "node-b");
        GuardPolicy policy = policy().maxRowsChanged(100).build();
        CountDownLatch bStarted = new CountDownLatch(1);
        CountDownLatch aTripped = new CountDownLatch(1);
        AtomicInteger ranOnB = new AtomicInteger();
        ExecutorService otherNode = Executors.newSingleThreadExecutor();
        try {
            Future<RunReport> underWay = otherNode.submit(() -> nodeB.run(policy, () -> {
                bStarted.countDown();
                assertThat(aTripped.await(30, TimeUnit.SECONDS)).isTrue();
                ranOnB.incrementAndGet();
            }));
            assertThat(bStarted.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(nodeA.run(policy, () -> update("UPDATE invoices SET amount = 0"))
                            .outcome())
                    .isEqualTo(RunOutcome.TRIPPED);
            aTripped.countDown();
            assertThat(underWay.get(30, TimeUnit.SECONDS).outcome()).isEqualTo(RunOutcome.SUCCEEDED);

            RunReport next = otherNode
                    .submit(() -> nodeB.run(policy, ranOnB::incrementAndGet))
                    .get(30, TimeUnit.SECONDS);

            assertThat(next.outcome()).isEqualTo(RunOutcome.SKIPPED);
            assertThat(ranOnB).hasValue(1);
            assertThat(jobRow(job)).containsEntry("status", "DISABLED").containsEntry("actor", "jobguard@node-a");
        } finally {
            otherNode.shutdown();
        }
    }

    private void renameTable(String from, String to) throws SQLException {
        try (Connection connection = poolB.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("ALTER TABLE " + from + " RENAME TO " + to);
        }
    }

    @Test
    void aRunWhoseStartCannotBeRecordedDoesNotRunAndReleasesItsLock() throws SQLException {
        JobGuard guard = nodeWithShedLock(poolA, "node-a");
        guard.enable(job, "first release", "alice");
        AtomicInteger ran = new AtomicInteger();
        renameTable("jobguard_run", "jobguard_run_away");
        RunReport report;
        try {
            report = guard.run(policy().build(), ran::incrementAndGet);
        } finally {
            renameTable("jobguard_run_away", "jobguard_run");
        }

        assertThat(report.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(report.detail())
                .hasValueSatisfying(detail -> assertThat(detail).contains("could not"));
        assertThat(ran).hasValue(0);
        assertThat(guard.run(policy().build(), ran::incrementAndGet).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(ran).hasValue(1);
    }

    @Test
    void aTrippedRunWhoseRecordCannotBeWrittenIsStillRolledBackAndDisablesTheJob() throws SQLException {
        JobGuard nodeA = node(poolA, "node-a");
        JobGuard nodeB = node(poolB, "node-b");
        AtomicInteger ranOnB = new AtomicInteger();
        RunReport tripped;
        try {
            tripped = nodeA.run(policy().maxRowsChanged(100).build(), () -> {
                renameTable("jobguard_run", "jobguard_run_away");
                update("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
            });
        } finally {
            renameTable("jobguard_run_away", "jobguard_run");
        }

        assertThat(tripped.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.cancelled()).isZero();
        assertThat(jobRow(job)).containsEntry("status", "DISABLED");
        assertThat(nodeB.run(policy().build(), ranOnB::incrementAndGet).outcome())
                .isEqualTo(RunOutcome.SKIPPED);
        assertThat(ranOnB).hasValue(0);
    }

    @Test
    void aStoreWithWrongCredentialsSkipsTheJobAndSaysWhy() {
        Assumptions.assumeTrue(database() != TestDatabase.H2, "H2 in memory keeps its first credentials");
        HikariDataSource wrongPassword = database().pool(Map.of());
        wrongPassword.setUsername("jobguard_no_such_user"); // the test servers may trust any existing user
        wrongPassword.setPassword("not-the-password");
        wrongPassword.getHikariPoolMXBean().softEvictConnections();
        try {
            JobGuard guard = JobGuard.builder()
                    .stateStore(JdbcStateStore.create(wrongPassword))
                    .build();
            AtomicInteger ran = new AtomicInteger();

            RunReport report = guard.run(policy().build(), ran::incrementAndGet);

            assertThat(report.outcome()).isEqualTo(RunOutcome.SKIPPED);
            assertThat(report.detail())
                    .as("the database's own refusal, not only the pool's time-out")
                    .hasValueSatisfying(
                            detail -> assertThat(detail).contains("could not").contains("jobguard_no_such_user"));
            assertThat(ran).hasValue(0);
        } finally {
            wrongPassword.close();
        }
    }

    @Test
    void jobsWithLongNamesSharingAPrefixRunUnderShedLocksOwnTableEachUnderALockOfItsOwn() throws Exception {
        JobGuard guard = nodeWithShedLock(poolA, "node-a");
        String prefix = job + "-" + "x".repeat(100);
        GuardPolicy first = GuardPolicy.builder(prefix + "-first").build();
        GuardPolicy second = GuardPolicy.builder(prefix + "-second").build();
        ExecutorService otherThread = Executors.newSingleThreadExecutor();
        RunReport[] inner = new RunReport[1];
        try {
            RunReport outer = guard.run(
                    first,
                    () -> inner[0] = otherThread
                            .submit(() -> guard.run(second, () -> {}))
                            .get(30, TimeUnit.SECONDS));

            assertThat(outer.outcome()).as(outer.summary()).isEqualTo(RunOutcome.SUCCEEDED);
            assertThat(inner[0].outcome()).as(inner[0].summary()).isEqualTo(RunOutcome.SUCCEEDED);
        } finally {
            otherThread.shutdown();
        }
    }

    @Test
    void aRunOverMaxDurationIsReportedAndTripsWhenSetTo() throws SQLException {
        JobGuard guard = node(poolA, "node-a");
        GuardPolicy reportOnly = policy().maxDuration(Duration.ofMillis(1)).build();

        RunReport slow = guard.run(reportOnly, () -> Thread.sleep(20));
        assertThat(slow.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(slow.wouldTrips())
                .singleElement()
                .satisfies(trip -> assertThat(trip.reason()).isEqualTo(TripReason.MAX_DURATION));
        assertThat(guard.state(job).job().isDisabled()).isFalse();

        RunReport tripped =
                guard.run(reportOnly.toBuilder().tripOnMaxDuration(true).build(), () -> Thread.sleep(20));
        assertThat(tripped.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(jobRow(job)).containsEntry("status", "DISABLED");
    }
}
