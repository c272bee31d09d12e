package dev.jobguard.state;

import dev.jobguard.it.TestDatabase;

class PostgresJdbcStateStoreTest extends AbstractJdbcStateStoreTest {

    @Override
    protected TestDatabase database() {
        return TestDatabase.POSTGRESQL;
    }

    @Override
    protected String unreachableUrl() {
        return "jdbc:postgresql://127.0.0.1:1/test";
    }

    @Override
    protected String schemaResource() {
        return "dev/jobguard/state/schema-postgresql.sql";
    }
}
