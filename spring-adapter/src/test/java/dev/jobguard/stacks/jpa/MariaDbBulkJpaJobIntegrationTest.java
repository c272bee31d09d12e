package dev.jobguard.stacks.jpa;

import dev.jobguard.stacks.StackDatabase;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * MariaDB Connector/J with {@code useBulkStmts=true}: Hibernate's UPDATE batches are answered with SUCCESS_NO_INFO
 * (-2) for each entry, so the guard counts one row per entry and flags the run's total a lower bound.
 */
class MariaDbBulkJpaJobIntegrationTest extends AbstractJpaJobIntegrationTest {

    @BeforeAll
    static void mariaDbBulk() {
        StackDatabase.MARIADB.requireAndDropTables(TABLES);
    }

    @DynamicPropertySource
    static void mariaDbBulkProperties(DynamicPropertyRegistry registry) {
        StackDatabase.MARIADB.register(registry, Map.of("useBulkStmts", "true"));
    }

    @Override
    protected boolean updateBatchCountsUnknown() {
        return true;
    }
}
