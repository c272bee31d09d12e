package dev.jobguard.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Map;

/** MariaDB Connector/J with {@code useBulkStmts=true} answers -2 for each entry of an UPDATE batch. */
class MariaDbBulkBatchIntegrationTest extends AbstractUnknownRowCountIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected Map<String, String> driverOptions() {
        return Map.of("useBulkStmts", "true");
    }

    @Override
    protected int singleRowInsertAnswer() {
        return 1; // Connector/J 3.5 answers -2 for bulk UPDATEs, but counts a bulk INSERT's entries
    }

    @Override
    protected String table() {
        return "invoices";
    }

    @Override
    protected PreparedStatement batchOfSingleRowWrites(Connection connection, int entries) throws SQLException {
        PreparedStatement update = connection.prepareStatement("UPDATE invoices SET status = 'CANCELLED' WHERE id = ?");
        for (int id = 1; id <= entries; id++) {
            update.setInt(1, id);
            update.addBatch();
        }
        return update;
    }
}
