package dev.jobguard.stacks.jooq;

import dev.jobguard.stacks.StackDatabase;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class MariaDbJooqJobIntegrationTest extends AbstractJooqJobIntegrationTest {

    @BeforeAll
    static void mariaDb() {
        StackDatabase.MARIADB.requireAndDropTables(TABLES);
    }

    @DynamicPropertySource
    static void mariaDbProperties(DynamicPropertyRegistry registry) {
        StackDatabase.MARIADB.register(registry, Map.of());
    }
}
