package dev.jobguard.it;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

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

    /** A deferred constraint trigger runs in the commit: this one sleeps there. */
    @Override
    protected void prepareToHoldCommits(Connection admin) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("CREATE OR REPLACE FUNCTION jg_test_slow_commit() RETURNS trigger LANGUAGE plpgsql AS"
                    + " $$ BEGIN PERFORM pg_sleep(30); RETURN NULL; END $$");
            statement.execute("CREATE CONSTRAINT TRIGGER jg_test_slow_commit AFTER UPDATE ON invoices"
                    + " DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (NEW.id = 1)"
                    + " EXECUTE FUNCTION jg_test_slow_commit()");
        }
    }

    @Override
    protected void releaseCommits(Connection admin) throws SQLException {
        try (Statement statement = admin.createStatement()) {
            statement.execute("DROP TRIGGER IF EXISTS jg_test_slow_commit ON invoices");
        }
    }

    @Override
    protected boolean waitsInCommit(Connection admin, long session) throws SQLException {
        return query(
                        admin,
                        "SELECT count(*) FROM pg_stat_activity WHERE pid = " + session
                                + " AND wait_event = 'PgSleep' AND query ILIKE 'COMMIT%'")
                > 0;
    }
}
