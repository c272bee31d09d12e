package dev.jobguard.quartz;

class H2ClusteredQuartzTest extends AbstractClusteredQuartzTest {
    H2ClusteredQuartzTest() {
        super(TestDatabases.H2);
    }
}
