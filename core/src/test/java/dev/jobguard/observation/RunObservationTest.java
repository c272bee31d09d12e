package dev.jobguard.observation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RowLimitExceededException;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import io.micrometer.observation.Observation;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each guarded run is one {@code jobguard.run} observation: started and stopped, named, with the job, mode and
 * outcome as low-cardinality key values and the run id as a high-cardinality one, and the job's code inside its scope
 * (what puts a run's JDBC spans under the run's span). Real runs on H2 with a JDBC state store.
 */
class RunObservationTest {

    private static final String JOB = "cancel-overdue-invoices";

    private final TestObservationRegistry observations = TestObservationRegistry.create();
    private DataSource raw;
    private DataSource guarded;
    private JobGuard guard;

    @BeforeEach
    void open() throws SQLException {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:run-observation;DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        raw = h2;
        guarded = GuardedDataSource.wrap(raw);
        execute("DROP ALL OBJECTS");
        execute("CREATE TABLE invoices (id BIGINT PRIMARY KEY, status VARCHAR(20) NOT NULL)");
        execute("INSERT INTO invoices SELECT X, 'OPEN' FROM SYSTEM_RANGE(1, 20)");
        guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(raw))
                .observationRegistry(observations)
                .nodeName("node-a")
                .build();
    }

    @AfterEach
    void close() throws SQLException {
        guard.close();
        execute("DROP ALL OBJECTS");
    }

    @Test
    void aSuccessfulRunIsOneStoppedObservationWithTheJobInsideItsScope() throws SQLException {
        AtomicReference<Observation> inside = new AtomicReference<>();

        RunReport report = guard.run(policy(), () -> {
            inside.set(observations.getCurrentObservation());
            cancel("id <= 5");
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(count("status = 'CANCELLED'")).isEqualTo(5);
        TestObservationRegistryAssert.assertThat(observations)
                .hasSingleObservationThat()
                .hasNameEqualTo("jobguard.run")
                .hasContextualNameEqualTo("jobguard " + JOB)
                .hasLowCardinalityKeyValue("job", JOB)
                .hasLowCardinalityKeyValue("mode", "ENFORCE")
                .hasLowCardinalityKeyValue("outcome", "SUCCEEDED")
                .hasHighCardinalityKeyValue("run.id", report.runId())
                .doesNotHaveError()
                .hasBeenStarted()
                .hasBeenStopped();
        assertThat(inside.get()).isNotNull();
        RunObservationContext context = (RunObservationContext) inside.get().getContext();
        assertThat(context.runId()).isEqualTo(report.runId());
        assertThat(context.report()).contains(report);
        assertThat(observations.getCurrentObservation()).isNull();
    }

    @Test
    void aTrippedRunIsObservedWithOutcomeTrippedAndTheTripAsItsError() throws SQLException {
        AtomicReference<Observation> inside = new AtomicReference<>();

        RunReport report = guard.run(policy(), () -> {
            inside.set(observations.getCurrentObservation());
            cancel("id <= 15"); // 15 rows, over the limit of 10
        });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(count("status = 'CANCELLED'")).isZero();
        TestObservationRegistryAssert.assertThat(observations)
                .hasSingleObservationThat()
                .hasNameEqualTo("jobguard.run")
                .hasLowCardinalityKeyValue("job", JOB)
                .hasLowCardinalityKeyValue("mode", "ENFORCE")
                .hasLowCardinalityKeyValue("outcome", "TRIPPED")
                .hasHighCardinalityKeyValue("run.id", report.runId())
                .assertThatError()
                .isInstanceOf(RowLimitExceededException.class);
        TestObservationRegistryAssert.assertThat(observations)
                .hasSingleObservationThat()
                .hasBeenStarted()
                .hasBeenStopped();
        assertThat(((RunObservationContext) inside.get().getContext()).runId()).isEqualTo(report.runId());
    }

    @Test
    void aSkippedRunIsAnObservationWithOutcomeSkippedAndTheJobNeverRuns() {
        guard.disable(JOB, "broken release", "alice");
        AtomicReference<Boolean> ran = new AtomicReference<>(false);

        RunReport report = guard.run(policy(), () -> ran.set(true));

        assertThat(report.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(ran.get()).isFalse();
        TestObservationRegistryAssert.assertThat(observations)
                .hasSingleObservationThat()
                .hasNameEqualTo("jobguard.run")
                .hasLowCardinalityKeyValue("job", JOB)
                .hasLowCardinalityKeyValue("mode", "ENFORCE")
                .hasLowCardinalityKeyValue("outcome", "SKIPPED")
                .hasHighCardinalityKeyValue("run.id", report.runId())
                .doesNotHaveError()
                .hasBeenStarted()
                .hasBeenStopped();
    }

    @Test
    void theModeKeyIsTheModeTheRunRanInAnOperatorsPinnedModeIncluded() throws SQLException {
        guard.enable(JOB, "trying the fix", "alice", GuardMode.DRY_RUN);

        RunReport report = guard.run(policy(), () -> cancel("id <= 5"));

        assertThat(report.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(count("status = 'CANCELLED'")).isZero();
        TestObservationRegistryAssert.assertThat(observations)
                .hasSingleObservationThat()
                .hasLowCardinalityKeyValue("mode", "DRY_RUN")
                .hasLowCardinalityKeyValue("outcome", "SUCCEEDED");
    }

    @Test
    void anExecutionRefusedBeforeItsRunIsObservedAndOneThatMayRunIsNotObservedTwice() {
        assertThat(guard.refuseUnlessRunnable(policy(), "quartz veto")).isEmpty();
        TestObservationRegistryAssert.assertThat(observations).doesNotHaveAnyObservation();

        guard.disable(JOB, "broken release", "alice");
        RunReport refused = guard.refuseUnlessRunnable(policy(), "quartz veto").orElseThrow();

        TestObservationRegistryAssert.assertThat(observations)
                .hasSingleObservationThat()
                .hasLowCardinalityKeyValue("outcome", "SKIPPED")
                .hasHighCardinalityKeyValue("run.id", refused.runId())
                .hasBeenStarted()
                .hasBeenStopped();
    }

    @Test
    void anApplicationsConventionNamesTheObservation() {
        JobGuard custom = JobGuard.builder()
                .observationRegistry(observations)
                .observationConvention(new DefaultRunObservationConvention() {
                    @Override
                    public String getContextualName(RunObservationContext context) {
                        return "nightly " + context.jobName();
                    }
                })
                .build();

        custom.run(policy(), () -> {});

        TestObservationRegistryAssert.assertThat(observations)
                .hasSingleObservationThat()
                .hasNameEqualTo("jobguard.run")
                .hasContextualNameEqualTo("nightly " + JOB)
                .hasLowCardinalityKeyValue("outcome", "SUCCEEDED");
    }

    private static GuardPolicy policy() {
        return GuardPolicy.builder(JOB).maxRowsChanged(10).build();
    }

    private void cancel(String where) throws SQLException {
        try (Connection connection = guarded.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE " + where);
        }
    }

    private long count(String where) throws SQLException {
        try (Connection connection = raw.getConnection();
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT COUNT(*) FROM invoices WHERE " + where)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = raw.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
