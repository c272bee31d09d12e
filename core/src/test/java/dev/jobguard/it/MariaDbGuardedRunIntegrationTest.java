package dev.jobguard.it;

class MariaDbGuardedRunIntegrationTest extends AbstractGuardedRunIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
