package dev.jobguard.it;

class H2SandboxConnectionIntegrationTest extends AbstractSandboxConnectionIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
