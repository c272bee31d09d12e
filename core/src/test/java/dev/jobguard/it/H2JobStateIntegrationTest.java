package dev.jobguard.it;

class H2JobStateIntegrationTest extends AbstractJobStateIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
