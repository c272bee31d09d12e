package dev.jobguard.it;

class PostgresRunNowIntegrationTest extends AbstractRunNowIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
