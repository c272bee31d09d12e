package dev.jobguard.it;

class MariaDbRunNowIntegrationTest extends AbstractRunNowIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
