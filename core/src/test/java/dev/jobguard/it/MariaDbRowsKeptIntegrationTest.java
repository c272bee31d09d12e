package dev.jobguard.it;

class MariaDbRowsKeptIntegrationTest extends AbstractRowsKeptIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }
}
