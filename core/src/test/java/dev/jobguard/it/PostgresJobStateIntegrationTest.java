package dev.jobguard.it;

class PostgresJobStateIntegrationTest extends AbstractJobStateIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
