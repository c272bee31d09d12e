package dev.jobguard.internal.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.state.JdbcStateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gauge {@value GuardMetrics#JOB_LAST_SUCCESS}: the end of the job's last live success in seconds since the epoch,
 * read from the state store (H2) at the job's first run on a node, moved by this node's live successes only, NaN
 * while none is known.
 */
class LastSuccessGaugeTest {

    private static final String JOB = "cancel-overdue-invoices";
    private static final Instant NINE = Instant.parse("2026-12-03T09:00:00Z");

    private DataSource h2;
    private final MutableClock clock = new MutableClock(NINE);

    @BeforeEach
    void open() throws SQLException {
        JdbcDataSource dataSource = new JdbcDataSource();
        dataSource.setURL("jdbc:h2:mem:last-success;DB_CLOSE_DELAY=-1");
        dataSource.setUser("sa");
        h2 = dataSource;
        dropAll();
    }

    @AfterEach
    void close() throws SQLException {
        dropAll();
    }

    @Test
    void aNodesFirstRunReadsTheLastSuccessOfTheJobFromTheStateStore() {
        try (JobGuard nodeA = node("node-a", new SimpleMeterRegistry())) {
            assertThat(nodeA.run(policy(GuardMode.ENFORCE), () -> {}).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        }
        clock.advance(Duration.ofHours(1));
        SimpleMeterRegistry metersOfB = new SimpleMeterRegistry();
        try (JobGuard nodeB = node("node-b", metersOfB)) {
            RunOutcome failed = nodeB.run(policy(GuardMode.ENFORCE), () -> {
                        throw new IllegalStateException("upstream down");
                    })
                    .outcome();

            assertThat(failed).isEqualTo(RunOutcome.FAILED);
            assertThat(lastSuccess(metersOfB)).isEqualTo(NINE.getEpochSecond());
        }
    }

    @Test
    void aLiveSuccessMovesTheGaugeAndADryRunOrAFailureDoNot() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (JobGuard guard = node("node-a", meters)) {
            guard.run(policy(GuardMode.OBSERVE), () -> {});
            assertThat(lastSuccess(meters)).isEqualTo(NINE.getEpochSecond());

            clock.advance(Duration.ofMinutes(5));
            assertThat(guard.run(policy(GuardMode.DRY_RUN), () -> {}).outcome()).isEqualTo(RunOutcome.SUCCEEDED);
            clock.advance(Duration.ofMinutes(5));
            guard.run(policy(GuardMode.ENFORCE), () -> {
                throw new IllegalStateException("bug");
            });
            assertThat(lastSuccess(meters)).isEqualTo(NINE.getEpochSecond());

            clock.advance(Duration.ofMinutes(5));
            guard.run(policy(GuardMode.ENFORCE), () -> {});
            assertThat(lastSuccess(meters))
                    .isEqualTo(NINE.plus(Duration.ofMinutes(15)).getEpochSecond());
        }
    }

    @Test
    void isNaNWhileTheStoreKnowsNoLiveSuccessOfTheJob() {
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (JobGuard guard = node("node-a", meters)) {
            guard.run(policy(GuardMode.DRY_RUN), () -> {});
            assertThat(lastSuccess(meters)).isNaN();

            guard.disable(JOB, "broken release", "alice");
            assertThat(guard.run(policy(GuardMode.ENFORCE), () -> {}).outcome()).isEqualTo(RunOutcome.SKIPPED);
            assertThat(lastSuccess(meters)).isNaN();
        }
    }

    @Test
    void isNaNAndTheRunSkippedWhenTheStateStoreCannotBeReached() {
        JdbcDataSource unreachable = new JdbcDataSource();
        unreachable.setURL("jdbc:h2:tcp://127.0.0.1:1/mem:nowhere"); // nothing listens on port 1
        SimpleMeterRegistry meters = new SimpleMeterRegistry();
        try (JobGuard guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(unreachable))
                .meterRegistry(meters)
                .build()) {
            assertThat(guard.run(policy(GuardMode.ENFORCE), () -> {}).outcome()).isEqualTo(RunOutcome.SKIPPED);
            assertThat(lastSuccess(meters)).isNaN();
        }
    }

    private JobGuard node(String name, SimpleMeterRegistry meters) {
        return JobGuard.builder()
                .stateStore(JdbcStateStore.create(h2))
                .meterRegistry(meters)
                .clock(clock)
                .nodeName(name)
                .build();
    }

    private static GuardPolicy policy(GuardMode mode) {
        return GuardPolicy.builder(JOB).mode(mode).build();
    }

    private static double lastSuccess(SimpleMeterRegistry meters) {
        return meters.get(GuardMetrics.JOB_LAST_SUCCESS).tag("job", JOB).gauge().value();
    }

    private void dropAll() throws SQLException {
        try (Connection connection = h2.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("DROP ALL OBJECTS");
        }
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration by) {
            now = now.plus(by);
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
