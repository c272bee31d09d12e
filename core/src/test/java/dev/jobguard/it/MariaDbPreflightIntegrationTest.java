package dev.jobguard.it;

class MariaDbPreflightIntegrationTest extends AbstractPreflightIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
