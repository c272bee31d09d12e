package dev.jobguard.it;

import java.sql.Connection;
import java.sql.SQLException;

class PostgresConnectionKilledIntegrationTest extends AbstractConnectionKilledIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    protected long sessionId(Connection connection) throws SQLException {
        return query(connection, "SELECT pg_backend_pid()");
    }

    @Override
    protected void kill(Connection admin, long session) throws SQLException {
        query(admin, "SELECT CASE WHEN pg_terminate_backend(" + session + ") THEN 1 ELSE 0 END");
    }
}
