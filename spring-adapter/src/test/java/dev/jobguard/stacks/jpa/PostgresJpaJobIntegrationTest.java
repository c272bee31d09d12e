package dev.jobguard.stacks.jpa;

import dev.jobguard.stacks.StackDatabase;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class PostgresJpaJobIntegrationTest extends AbstractJpaJobIntegrationTest {

    @BeforeAll
    static void postgres() {
        StackDatabase.POSTGRESQL.requireAndDropTables(TABLES);
    }

    @DynamicPropertySource
    static void postgresProperties(DynamicPropertyRegistry registry) {
        StackDatabase.POSTGRESQL.register(registry, Map.of());
    }
}
