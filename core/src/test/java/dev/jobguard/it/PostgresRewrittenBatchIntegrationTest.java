package dev.jobguard.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/**
 * pgjdbc with {@code reWriteBatchedInserts=true} answers -2 for the entries of a rewritten INSERT batch; with ON
 * CONFLICT DO NOTHING an entry may have inserted nothing, so the count is a lower bound.
 */
class PostgresRewrittenBatchIntegrationTest extends AbstractUnknownRowCountIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    protected Map<String, String> driverOptions() {
        return Map.of("reWriteBatchedInserts", "true");
    }

    @Override
    protected String table() {
        return "audit_log";
    }

    @Override
    protected PreparedStatement batchOfSingleRowWrites(Connection connection, int entries) throws SQLException {
        PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO audit_log (id, note) VALUES (?, ?) ON CONFLICT (id) DO NOTHING");
        for (int id = 1; id <= entries; id++) {
            insert.setInt(1, id);
            insert.setString(2, "bulk " + id);
            insert.addBatch();
        }
        return insert;
    }
}
