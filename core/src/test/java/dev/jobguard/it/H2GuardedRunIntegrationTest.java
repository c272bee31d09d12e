package dev.jobguard.it;

class H2GuardedRunIntegrationTest extends AbstractGuardedRunIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
