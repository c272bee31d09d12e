package dev.jobguard.it;

class MariaDbJobStateIntegrationTest extends AbstractJobStateIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected String lockTheJobTableAgainstReads() {
        return "LOCK TABLES jobguard_job WRITE";
    }
}
