package dev.jobguard.it;

class H2RowsKeptIntegrationTest extends AbstractRowsKeptIntegrationTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.H2;
    }
}
