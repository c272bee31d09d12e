package dev.jobguard.fuzz;

import dev.jobguard.it.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;

class MariaDbDifferentialFuzzTest extends AbstractDifferentialFuzzTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected String schema(Connection connection) throws SQLException {
        return connection.getCatalog();
    }
}
