package dev.jobguard.stacks.jpa;

import dev.jobguard.stacks.StackDatabase;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class MariaDbJpaJobIntegrationTest extends AbstractJpaJobIntegrationTest {

    @BeforeAll
    static void mariaDb() {
        StackDatabase.MARIADB.requireAndDropTables(TABLES);
    }

    @DynamicPropertySource
    static void mariaDbProperties(DynamicPropertyRegistry registry) {
        StackDatabase.MARIADB.register(registry, Map.of());
    }
}
