package dev.jobguard.it;

class H2RunNowIntegrationTest extends AbstractRunNowIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
