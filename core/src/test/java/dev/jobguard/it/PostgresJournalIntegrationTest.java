package dev.jobguard.it;

class PostgresJournalIntegrationTest extends AbstractJournalIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
