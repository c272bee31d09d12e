package dev.jobguard.stacks.jooq;

import dev.jobguard.stacks.StackDatabase;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class PostgresJooqJobIntegrationTest extends AbstractJooqJobIntegrationTest {

    @BeforeAll
    static void postgres() {
        StackDatabase.POSTGRESQL.requireAndDropTables(TABLES);
    }

    @DynamicPropertySource
    static void postgresProperties(DynamicPropertyRegistry registry) {
        StackDatabase.POSTGRESQL.register(registry, Map.of());
    }
}
