package dev.jobguard.it;

class PostgresSandboxConnectionIntegrationTest extends AbstractSandboxConnectionIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }
}
