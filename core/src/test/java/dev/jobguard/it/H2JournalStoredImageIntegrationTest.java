package dev.jobguard.it;

class H2JournalStoredImageIntegrationTest extends AbstractJournalStoredImageIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
