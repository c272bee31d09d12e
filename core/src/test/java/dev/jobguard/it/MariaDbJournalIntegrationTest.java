package dev.jobguard.it;

class MariaDbJournalIntegrationTest extends AbstractJournalIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
