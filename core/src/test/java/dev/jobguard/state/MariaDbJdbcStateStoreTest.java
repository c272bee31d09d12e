package dev.jobguard.state;

import dev.jobguard.it.TestDatabase;

class MariaDbJdbcStateStoreTest extends AbstractJdbcStateStoreTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.MARIADB;
    }

    @Override
    protected String unreachableUrl() {
        return "jdbc:mariadb://127.0.0.1:1/test";
    }

    @Override
    protected String schemaResource() {
        return "dev/jobguard/state/schema-mysql.sql";
    }
}
