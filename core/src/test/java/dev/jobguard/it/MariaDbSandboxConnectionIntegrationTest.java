package dev.jobguard.it;

class MariaDbSandboxConnectionIntegrationTest extends AbstractSandboxConnectionIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
