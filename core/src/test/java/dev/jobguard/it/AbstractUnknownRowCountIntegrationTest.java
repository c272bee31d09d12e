package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardPolicy;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.TripReason;
import dev.jobguard.jdbc.GuardedDataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Drivers that answer a batch with {@link Statement#SUCCESS_NO_INFO} (-2): each such entry counts as one row, the
 * total is flagged a lower bound, and limits still trip on it; unless the entry is a single-row INSERT ... VALUES,
 * which changed exactly one row: then the count is exact.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class AbstractUnknownRowCountIntegrationTest {

    private HikariDataSource pool;
    private DataSource guarded;
    private Invoices invoices;
    private JobGuard guard;

    protected abstract TestDatabase database();

    /** Driver options that make the driver answer -2. */
    protected abstract Map<String, String> driverOptions();

    /**
     * A batch of {@code entries} writes, each changing exactly one row of {@link #table()}, that the guard cannot
     * know changed one row each from their SQL (an UPDATE by key, an INSERT with ON CONFLICT).
     */
    protected abstract PreparedStatement batchOfSingleRowWrites(Connection connection, int entries) throws SQLException;

    protected abstract String table();

    /**
     * What the driver answers for each entry of a batch of single-row INSERTs with {@link #driverOptions()}: -2, or
     * the count itself where the driver sends such batches otherwise.
     */
    protected int singleRowInsertAnswer() {
        return Statement.SUCCESS_NO_INFO;
    }

    @BeforeAll
    void openPool() {
        pool = database().pool(driverOptions());
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
    void resetTablesAndState() throws SQLException {
        invoices.reset(1000);
        guard = JobGuard.builder().build();
    }

    @Test
    void theDriverReallyAnswersSuccessNoInfo() throws SQLException {
        AtomicReference<int[]> counts = new AtomicReference<>();
        guard.run(GuardPolicy.builder("probe").build(), () -> {
            try (Connection connection = guarded.getConnection();
                    PreparedStatement batch = batchOfSingleRowWrites(connection, 10)) {
                counts.set(batch.executeBatch());
            }
        });
        assertThat(counts.get()).contains(Statement.SUCCESS_NO_INFO);
    }

    @Test
    void unknownCountsAreCountedAsALowerBoundAndStillTripALimit() throws SQLException {
        List<String> before = invoices.snapshot(table());
        RunReport report =
                guard.run(GuardPolicy.builder("bulk").maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            PreparedStatement batch = batchOfSingleRowWrites(connection, 200)) {
                        batch.executeBatch();
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.rowCountIsLowerBound()).isTrue();
        assertThat(report.rowsChanged()).isEqualTo(200);
        assertThat(invoices.snapshot(table())).isEqualTo(before);
    }

    @Test
    void unknownCountsWithinTheLimitCommitAndAreFlaggedALowerBound() throws SQLException {
        List<String> before = invoices.snapshot(table());
        RunReport report =
                guard.run(GuardPolicy.builder("bulk").maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            PreparedStatement batch = batchOfSingleRowWrites(connection, 50)) {
                        batch.executeBatch();
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.rowCountIsLowerBound()).isTrue();
        assertThat(report.rowsChanged()).isEqualTo(50);
        assertThat(invoices.snapshot(table())).isNotEqualTo(before);
    }

    @Test
    void tripOnUnknownRowCountTripsOnTheFirstUnknownCount() throws SQLException {
        List<String> before = invoices.snapshot(table());
        RunReport report = guard.run(
                GuardPolicy.builder("bulk").tripOnUnknownRowCount(true).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            PreparedStatement batch = batchOfSingleRowWrites(connection, 5)) {
                        batch.executeBatch();
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.UNKNOWN_ROW_COUNT);
        assertThat(invoices.snapshot(table())).isEqualTo(before);
    }

    @Test
    void singleRowInsertsAnsweredWithNoInfoAreCountedExactly() throws SQLException {
        AtomicReference<int[]> counts = new AtomicReference<>();
        RunReport report =
                guard.run(GuardPolicy.builder("bulk").maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            PreparedStatement batch = singleRowInserts(connection, 1, 60)) {
                        counts.set(batch.executeBatch());
                    }
                });

        assertThat(counts.get()).containsOnly(singleRowInsertAnswer());
        assertThat(report.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(report.rowCountIsLowerBound()).isFalse();
        assertThat(report.rowsChanged()).isEqualTo(60);
        assertThat(invoices.count("audit_log", "")).isEqualTo(60);
    }

    @Test
    void singleRowInsertsAnsweredWithNoInfoTripAnExactLimit() throws SQLException {
        RunReport report =
                guard.run(GuardPolicy.builder("bulk").maxRowsChanged(100).build(), () -> {
                    try (Connection connection = guarded.getConnection();
                            PreparedStatement batch = singleRowInserts(connection, 1, 101)) {
                        batch.executeBatch();
                    }
                });

        assertThat(report.outcome()).isEqualTo(RunOutcome.TRIPPED);
        assertThat(report.trip().orElseThrow().reason()).isEqualTo(TripReason.MAX_ROWS_CHANGED);
        assertThat(report.rowCountIsLowerBound()).isFalse();
        assertThat(report.rowsChanged()).isEqualTo(101);
        assertThat(invoices.count("audit_log", "")).isZero();
    }

    private static PreparedStatement singleRowInserts(Connection connection, int firstId, int entries)
            throws SQLException {
        PreparedStatement insert = connection.prepareStatement("INSERT INTO audit_log (id, note) VALUES (?, ?)");
        for (int id = firstId; id < firstId + entries; id++) {
            insert.setInt(1, id);
            insert.setString(2, "bulk " + id);
            insert.addBatch();
        }
        return insert;
    }
}
