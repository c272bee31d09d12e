package dev.jobguard.it;

import java.sql.Connection;
import java.sql.SQLException;

class H2CountEscapeRegressionIntegrationTest extends AbstractCountEscapeRegressionIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    protected String schema(Connection connection) throws SQLException {
        return connection.getSchema();
    }
}
