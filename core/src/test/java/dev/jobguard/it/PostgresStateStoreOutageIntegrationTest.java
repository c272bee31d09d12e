package dev.jobguard.it;

class PostgresStateStoreOutageIntegrationTest extends AbstractStateStoreOutageIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
