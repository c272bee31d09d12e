package dev.jobguard.quartz;

class PostgresClusteredQuartzTest extends AbstractClusteredQuartzTest {
    PostgresClusteredQuartzTest() {
        super(TestDatabases.POSTGRESQL);
    }
}
