package dev.jobguard.it;

import java.sql.Connection;
import java.sql.SQLException;

class MariaDbCountEscapeRegressionIntegrationTest extends AbstractCountEscapeRegressionIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected String schema(Connection connection) throws SQLException {
        return connection.getCatalog();
    }
}
