package dev.jobguard.it;

class MariaDbJobStateIntegrationTest extends AbstractJobStateIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
