package dev.jobguard.it;

class PostgresKilledJvmIntegrationTest extends AbstractKilledJvmIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
