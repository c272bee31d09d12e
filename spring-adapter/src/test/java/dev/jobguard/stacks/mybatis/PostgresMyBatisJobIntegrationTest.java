package dev.jobguard.stacks.mybatis;

import dev.jobguard.stacks.StackDatabase;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class PostgresMyBatisJobIntegrationTest extends AbstractMyBatisJobIntegrationTest {

    @BeforeAll
    static void postgres() {
        StackDatabase.POSTGRESQL.requireAndDropTables(TABLES);
    }

    @DynamicPropertySource
    static void postgresProperties(DynamicPropertyRegistry registry) {
        StackDatabase.POSTGRESQL.register(registry, Map.of());
    }
}
