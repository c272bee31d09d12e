package dev.jobguard.it;

class MariaDbStateStoreOutageIntegrationTest extends AbstractStateStoreOutageIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
