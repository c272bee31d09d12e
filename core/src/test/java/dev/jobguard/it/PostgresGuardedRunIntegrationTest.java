package dev.jobguard.it;

class PostgresGuardedRunIntegrationTest extends AbstractGuardedRunIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
