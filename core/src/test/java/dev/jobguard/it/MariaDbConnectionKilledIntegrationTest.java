package dev.jobguard.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

class MariaDbConnectionKilledIntegrationTest extends AbstractConnectionKilledIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected long sessionId(Connection connection) throws SQLException {
        return query(connection, "SELECT CONNECTION_ID()");
    }

    @Override
    protected void kill(Connection admin, long session) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("KILL " + session);
        }
    }
}
