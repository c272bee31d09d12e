package dev.jobguard.it;

class MariaDbKilledJvmIntegrationTest extends AbstractKilledJvmIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
