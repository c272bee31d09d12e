package dev.jobguard.it;

class MariaDbJournalStoredImageIntegrationTest extends AbstractJournalStoredImageIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
