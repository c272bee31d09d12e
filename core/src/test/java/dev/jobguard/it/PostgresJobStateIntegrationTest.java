package dev.jobguard.it;

class PostgresJobStateIntegrationTest extends AbstractJobStateIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    protected String lockTheJobTableAgainstReads() {
        return "LOCK TABLE jobguard_job IN ACCESS EXCLUSIVE MODE";
    }
}
