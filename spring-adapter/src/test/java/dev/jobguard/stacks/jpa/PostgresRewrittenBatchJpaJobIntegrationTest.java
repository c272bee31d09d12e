package dev.jobguard.stacks.jpa;

import dev.jobguard.stacks.StackDatabase;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * pgjdbc with {@code reWriteBatchedInserts=true}, as many Hibernate applications set it: Hibernate's INSERT batches
 * are answered with SUCCESS_NO_INFO (-2) for each entry, and the guard still counts them exactly (each entry is a
 * single-row {@code INSERT ... VALUES}).
 */
class PostgresRewrittenBatchJpaJobIntegrationTest extends AbstractJpaJobIntegrationTest {

    @BeforeAll
    static void postgresRewritten() {
        StackDatabase.POSTGRESQL.requireAndDropTables(TABLES);
    }

    @DynamicPropertySource
    static void postgresRewrittenProperties(DynamicPropertyRegistry registry) {
        StackDatabase.POSTGRESQL.register(registry, Map.of("reWriteBatchedInserts", "true"));
    }
}
