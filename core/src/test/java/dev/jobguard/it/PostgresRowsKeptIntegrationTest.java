package dev.jobguard.it;

class PostgresRowsKeptIntegrationTest extends AbstractRowsKeptIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
