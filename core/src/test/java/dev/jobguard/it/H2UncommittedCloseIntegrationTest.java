package dev.jobguard.it;

class H2UncommittedCloseIntegrationTest extends AbstractUncommittedCloseIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
