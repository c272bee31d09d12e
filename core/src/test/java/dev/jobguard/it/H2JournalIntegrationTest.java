package dev.jobguard.it;

class H2JournalIntegrationTest extends AbstractJournalIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
