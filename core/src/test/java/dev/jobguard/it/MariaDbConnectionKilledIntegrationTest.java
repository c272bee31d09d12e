package dev.jobguard.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

class MariaDbConnectionKilledIntegrationTest extends AbstractConnectionKilledIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected long sessionId(Connection connection) throws SQLException {
        return query(connection, "SELECT CONNECTION_ID()");
    }

    /**
     * Kills the session and waits (up to 5 s) until it has left the process list: KILL returns once it is flagged, and
     * a commit woken by a lock released before the session saw the flag could still go through.
     */
    @Override
    protected void kill(Connection admin, long session) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("KILL " + session);
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (query(admin, "SELECT count(*) FROM information_schema.processlist WHERE id = " + session) > 0
                && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** A global read lock taken after the write makes the transaction's commit wait ("Waiting for backup lock"). */
    @Override
    protected void holdCommits(Connection admin) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("FLUSH TABLES WITH READ LOCK");
        }
    }

    @Override
    protected void releaseCommits(Connection admin) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("UNLOCK TABLES");
        }
    }

    @Override
    protected boolean waitsInCommit(Connection admin, long session) throws SQLException {
        return query(
                        admin,
                        "SELECT count(*) FROM information_schema.processlist WHERE id = " + session
                                + " AND state LIKE 'Waiting for%' AND info LIKE 'commit%'")
                > 0;
    }
}
