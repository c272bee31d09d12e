package dev.jobguard.stacks.jooq;

import dev.jobguard.stacks.StackDatabase;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class H2JooqJobIntegrationTest extends AbstractJooqJobIntegrationTest {

    @BeforeAll
    static void h2() {
        StackDatabase.H2.requireAndDropTables(TABLES);
    }

    @DynamicPropertySource
    static void h2Properties(DynamicPropertyRegistry registry) {
        StackDatabase.H2.register(registry, Map.of());
    }
}
