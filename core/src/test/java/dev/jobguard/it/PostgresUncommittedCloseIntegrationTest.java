package dev.jobguard.it;

class PostgresUncommittedCloseIntegrationTest extends AbstractUncommittedCloseIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
