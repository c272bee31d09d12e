package dev.jobguard.spring;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link AbstractSpringBatchIntegrationTest} on PostgreSQL ({@code JOBGUARD_TEST_POSTGRES_URL}). */
class PostgresSpringBatchIntegrationTest extends AbstractSpringBatchIntegrationTest {

    @BeforeAll
    static void database() {
        PostgresTestDatabase.requireAndDropTables(TABLE_PREFIXES);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry);
    }
}
