package dev.jobguard.fuzz;

import dev.jobguard.it.TestDatabase;
import java.sql.Connection;
import java.sql.SQLException;

class H2DifferentialFuzzTest extends AbstractDifferentialFuzzTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }

    @Override
    protected String schema(Connection connection) throws SQLException {
        return connection.getSchema();
    }
}
