package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.internal.metrics.GuardMetrics;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The network between a node and its state store fails (a real server behind a {@link TcpProxy} that is cut) at the
 * start of a run and in the middle of one that trips: the guard fails closed as documented (no run while the store
 * cannot be read; the trip's rollback does not depend on the store), and the trip's disable lands once the store is
 * back, before the job runs again. PostgreSQL and MariaDB: an embedded H2 has no network to lose (H2's TCP server
 * mode closed the whole in-memory database when the proxy dropped its sockets; the store-down paths on H2 are
 * covered with a closed pool and a locked job row in {@code AbstractJobStateIntegrationTest}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractStateStoreOutageIntegrationTest {

    private HikariDataSource dataPool;
    private DataSource guarded;
    private Invoices invoices;
    private TcpProxy proxy;
    private HikariDataSource storePool;
    private SimpleMeterRegistry meters;
    private JobGuard guard;

    protected abstract TestDatabase database();

    /** Where the database server listens: the proxy forwards to it. */
    private URI server() {
        return URI.create(database().url().substring("jdbc:".length()));
    }

    /** The database's URL with its server at {@code 127.0.0.1:port} instead. */
    private String urlThrough(int port) {
        URI server = server();
        return database().url().replace(server.getHost() + ":" + server.getPort(), "127.0.0.1:" + port);
    }

    @BeforeAll
    void open() throws Exception {
        dataPool = database().pool(Map.of());
        guarded = GuardedDataSource.wrap(dataPool);
        invoices = new Invoices(dataPool);
        proxy = new TcpProxy(server().getHost(), server().getPort());
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(urlThrough(proxy.port()));
        config.setUsername(database().user());
        config.setPassword(database().password());
        config.setMaximumPoolSize(2);
        config.setMinimumIdle(0);
        config.setConnectionTimeout(2_000);
        config.setValidationTimeout(1_000);
        config.setInitializationFailTimeout(-1);
        storePool = new HikariDataSource(config);
    }

    @AfterAll
    void close() throws Exception {
        if (storePool != null) {
            storePool.close();
        }
        if (proxy != null) {
            proxy.close();
        }
        if (dataPool != null) {
            dataPool.close();
        }
    }

    @BeforeEach
    void resetTablesAndState() throws SQLException {
        invoices.reset(1000);
        try (Connection connection = dataPool.getConnection();
                Statement statement = connection.createStatement()) {
            for (String table : new String[] {"jobguard_run_table", "jobguard_run", "jobguard_job"}) {
                statement.execute("DROP TABLE IF EXISTS " + table);
            }
        }
        meters = new SimpleMeterRegistry();
        guard = JobGuard.builder()
                .stateStore(JdbcStateStore.builder(storePool)
                        .queryTimeout(Duration.ofSeconds(2))
                        .build())
                .meterRegistry(meters)
                .nodeName("node-a")
                .build();
        guard.jobs(); // the store's tables exist before the first outage
    }

    @AfterEach
    void restoreTheNetwork() {
        proxy.restore();
    }

    @Test
    void aRunWhoseStoreIsUnreachableDoesNotRunAndTheJobRunsOnceItIsBack() {
        AtomicInteger ran = new AtomicInteger();
        GuardPolicy policy = GuardPolicy.builder("outage").build();
        proxy.cut();

        RunReport down = guard.run(policy, ran::incrementAndGet);

        assertThat(down.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(down.detail())
                .hasValueSatisfying(detail -> assertThat(detail).contains("could not"));
        assertThat(ran).hasValue(0);
        assertThat(meters.get(GuardMetrics.STATE_ERRORS)
                        .tag("job", "outage")
                        .counter()
                        .count())
                .isPositive();

        proxy.restore();
        RunReport back = guard.run(policy, ran::incrementAndGet);

        assertThat(back.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(ran).hasValue(1);
    }

    @Test
    void aTripWhileTheStoreIsDownRollsBackAndItsDisableLandsOnceTheStoreIsBack() throws SQLException {
        GuardPolicy policy = GuardPolicy.builder("outage").maxRowsChanged(100).build();
        AtomicInteger ran = new AtomicInteger();

        RunReport tripped = guard.run(policy, () -> {
            proxy.cut(); // the store goes away in the middle of the run
            try (Connection connection = guarded.getConnection();
                    Statement statement = connection.createStatement()) {
                statement.executeUpdate("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN'");
            }
        });

        assertThat(tripped.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(invoices.cancelled())
                .as("the trip's rollback needs no store")
                .isZero();
        assertThat(jobStatus("outage")).as("the disable could not be stored").isNotEqualTo("DISABLED");

        RunReport whileDown = guard.run(policy, ran::incrementAndGet);
        assertThat(whileDown.outcome()).isEqualTo(RunOutcome.SKIPPED);

        proxy.restore();
        RunReport back = guard.run(policy, ran::incrementAndGet);

        assertThat(back.outcome()).isEqualTo(RunOutcome.SKIPPED);
        assertThat(ran).hasValue(0);
        assertThat(jobStatus("outage")).isEqualTo("DISABLED");
        assertThat(jobReason("outage")).contains(tripped.runId());
        assertThat(invoices.cancelled()).isZero();
    }

    private String jobStatus(String job) throws SQLException {
        return jobColumn(job, "status");
    }

    private String jobReason(String job) throws SQLException {
        return jobColumn(job, "reason");
    }

    private String jobColumn(String job, String column) throws SQLException {
        try (Connection connection = dataPool.getConnection();
                PreparedStatement select =
                        connection.prepareStatement("SELECT " + column + " FROM jobguard_job WHERE name = ?")) {
            select.setString(1, job);
            try (ResultSet row = select.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }
}
