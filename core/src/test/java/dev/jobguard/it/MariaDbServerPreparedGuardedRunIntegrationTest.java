package dev.jobguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.BatchUpdateException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The guard's contract on MariaDB with server-side prepared statements ({@code useServerPrepStmts=true}): the driver
 * then pipelines a batch's entries and reports every entry of a failed batch as {@code EXECUTE_FAILED}, also those
 * that took effect.
 */
class MariaDbServerPreparedGuardedRunIntegrationTest extends AbstractGuardedRunIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected Map<String, String> driverOptions() {
        return Map.of("useServerPrepStmts", "true", "useBulkStmts", "false");
    }

    @Test
    void theDriverReportsEveryEntryOfAFailedBatchFailedAlsoThoseThatTookEffect() throws SQLException {
        int[] counts = null;
        try (Connection connection = pool.getConnection();
                PreparedStatement insert =
                        connection.prepareStatement("INSERT INTO audit_log (id, note) VALUES (?, ?)")) {
            connection.setAutoCommit(false);
            addBatchWithADuplicateKey(insert);
            try {
                insert.executeBatch();
            } catch (BatchUpdateException partWay) {
                counts = partWay.getUpdateCounts();
            }
            connection.commit();
        }

        assertThat(counts).containsOnly(Statement.EXECUTE_FAILED).hasSize(5);
        assertThat(invoices.count("audit_log", "")).isEqualTo(4);
    }
}
