package dev.jobguard.it;

class MariaDbUncommittedCloseIntegrationTest extends AbstractUncommittedCloseIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
