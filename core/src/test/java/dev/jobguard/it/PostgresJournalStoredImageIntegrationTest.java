package dev.jobguard.it;

class PostgresJournalStoredImageIntegrationTest extends AbstractJournalStoredImageIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
