package dev.jobguard.it;

import java.sql.Connection;
import java.sql.SQLException;

class PostgresCountEscapeRegressionIntegrationTest extends AbstractCountEscapeRegressionIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    protected String schema(Connection connection) throws SQLException {
        return connection.getSchema();
    }
}
