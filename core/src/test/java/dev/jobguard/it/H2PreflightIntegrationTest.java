package dev.jobguard.it;

class H2PreflightIntegrationTest extends AbstractPreflightIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
