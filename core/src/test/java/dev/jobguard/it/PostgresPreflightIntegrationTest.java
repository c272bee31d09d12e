package dev.jobguard.it;

class PostgresPreflightIntegrationTest extends AbstractPreflightIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
