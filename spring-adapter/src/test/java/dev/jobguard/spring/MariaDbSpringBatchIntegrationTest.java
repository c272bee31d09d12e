package dev.jobguard.spring;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** {@link AbstractSpringBatchIntegrationTest} on MariaDB ({@code JOBGUARD_TEST_MARIADB_URL}). */
class MariaDbSpringBatchIntegrationTest extends AbstractSpringBatchIntegrationTest {

    @BeforeAll
    static void database() {
        MariaDbTestDatabase.requireAndDropTables(TABLE_PREFIXES);
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        MariaDbTestDatabase.register(registry);
    }
}
