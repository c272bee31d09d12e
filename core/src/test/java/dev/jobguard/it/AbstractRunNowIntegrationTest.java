package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import dev.jobguard.GuardedTask;
import dev.jobguard.JobGuard;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.RunRequest;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.RunRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Run now ({@link RunRequest}) on a real database: the requested run id and mode, how the mode combines with the
 * job's own and an operator's pin, who asked in the run's record, and the state checks of a scheduled run.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class AbstractRunNowIntegrationTest {

    static final int INVOICES = 200;

    private HikariDataSource pool;
    private DataSource guarded;
    private Invoices invoices;
    private JobGuard guard;
    private String job;

    protected abstract TestDatabase database();

    @BeforeAll
    void openPool() {
        pool = database().pool(Map.of());
        guarded = GuardedDataSource.wrap(pool);
        invoices = new Invoices(pool);
    }

    @AfterAll
    void closePool() {
        if (pool != null) {
            pool.close();
        }
    }

    @BeforeEach
    void freshJob() throws SQLException {
        invoices.reset(INVOICES);
        job = "run-now-" + UUID.randomUUID().toString().substring(0, 8);
        guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(pool))
                .nodeName("run-now-node")
                .build();
    }

    @AfterEach
    void closeGuard() {
        guard.close();
    }

    private GuardPolicy policy(GuardMode mode) {
        return GuardPolicy.builder(job).mode(mode).maxRowsChanged(1000).build();
    }

    private final GuardedTask cancelOpen = () -> {
        try (Connection connection = guarded.getConnection();
                Statement statement = connection.createStatement()) {
            statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
        }
    };

    @Test
    void aDryRunNowChangesNoRowAndIsRecordedUnderTheRequestedIdWithWhoAsked() throws Exception {
        List<String> before = invoices.snapshot("invoices");
        long open = invoices.open();
        RunRequest request = RunRequest.of(GuardMode.DRY_RUN, "alice", "test");

        RunReport report = guard.run(policy(GuardMode.ENFORCE), request, cancelOpen);

        assertThat(report.runId()).isEqualTo(request.runId());
        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(report.rowsChanged("invoices", Operation.UPDATE)).isEqualTo(open);
        assertThat(report.summary()).contains("run now by alice via test, asked for DRY_RUN");
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
        RunRecord record = guard.run(request.runId()).orElseThrow();
        assertThat(record.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(record.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(record.rowsChanged("invoices")).isEqualTo(open);
        assertThat(record.rowsCommitted()).isZero();
        assertThat(record.detail()).isEqualTo("run now by alice via test, asked for DRY_RUN");
    }

    @Test
    void dryRunAskedForWinsAndObserveAskedForYieldsOnlyToADryRunOfTheJobsOwn() throws Exception {
        List<String> before = invoices.snapshot("invoices");

        guard.enable(job, "try the fix", "bob", GuardMode.DRY_RUN);
        assertThat(guard.run(policy(GuardMode.ENFORCE), RunRequest.of(GuardMode.OBSERVE, "alice", "test"), cancelOpen)
                        .mode())
                .as("observe asked for, dry run pinned")
                .isEqualTo(GuardMode.DRY_RUN);
        assertThat(guard.run(policy(GuardMode.DRY_RUN), RunRequest.of(null, "alice", "test"), cancelOpen)
                        .mode())
                .as("no mode asked for: the job's own")
                .isEqualTo(GuardMode.DRY_RUN);
        guard.enable(job, "observe it", "bob", GuardMode.OBSERVE);
        assertThat(guard.run(policy(GuardMode.ENFORCE), RunRequest.of(GuardMode.DRY_RUN, "alice", "test"), cancelOpen)
                        .mode())
                .as("dry run asked for, observe pinned")
                .isEqualTo(GuardMode.DRY_RUN);
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);

        guard.enable(job, "back to its own mode", "bob");
        long open = invoices.open();
        RunReport observed = guard.run(
                GuardPolicy.builder(job).maxRowsChanged(5).build(),
                RunRequest.of(GuardMode.OBSERVE, "alice", "test"),
                cancelOpen);
        assertThat(observed.mode()).isEqualTo(GuardMode.OBSERVE);
        assertThat(observed.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(observed.wouldTrips()).isNotEmpty();
        assertThat(invoices.cancelled()).as("observe keeps the writes").isEqualTo(open);
        assertThat(guard.state(job).job().isDisabled()).isFalse();
    }

    @Test
    void aRunNowOfADisabledJobIsSkippedEachTimeUnderItsOwnIdAndChangesNothing() throws Exception {
        List<String> before = invoices.snapshot("invoices");
        guard.disable(job, "INC-4", "bob");

        RunRequest first = RunRequest.of(GuardMode.DRY_RUN, "alice", "test");
        RunRequest second = RunRequest.of(GuardMode.DRY_RUN, "alice", "test");
        RunReport skipped = guard.run(policy(GuardMode.ENFORCE), first, cancelOpen);
        guard.run(policy(GuardMode.ENFORCE), second, cancelOpen);

        assertThat(skipped.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(skipped.runId()).isEqualTo(first.runId());
        assertThat(skipped.detail().orElseThrow()).contains("DISABLED", "INC-4", "run now by alice via test");
        for (RunRequest request : List.of(first, second)) {
            RunRecord record = guard.run(request.runId()).orElseThrow();
            assertThat(record.outcome()).isEqualTo(RunOutcome.SKIPPED);
            assertThat(record.occurrences()).isEqualTo(1);
            assertThat(record.detail()).contains("run now by alice");
        }
        assertThat(invoices.snapshot("invoices")).isEqualTo(before);
    }

    @Test
    void aFailedRunNowKeepsWhoAskedAndTheFailureInItsRecord() {
        RunRequest request = RunRequest.of(null, "alice", "test");

        RunReport failed = guard.run(policy(GuardMode.ENFORCE), request, () -> {
            throw new IllegalStateException("the job's own failure");
        });

        assertThat(failed.outcome()).isEqualTo(RunOutcome.FAILED);
        assertThat(guard.run(request.runId()).orElseThrow().detail())
                .isEqualTo("run now by alice via test; failed: java.lang.IllegalStateException: the job's own failure");
    }

    @Test
    void enforceCannotBeAskedForAndARequestNeedsWhoAsked() {
        assertThatThrownBy(() -> RunRequest.of(GuardMode.ENFORCE, "alice", "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot ask for ENFORCE")
                .hasMessageContaining("ask for no mode");
        assertThatThrownBy(() -> RunRequest.of(GuardMode.DRY_RUN, " ", "test"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("actor");
    }
}
