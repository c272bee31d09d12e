package dev.jobguard.spring;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class PostgresRunNowActuatorTest extends AbstractRunNowActuatorTest {

    @BeforeAll
    static void database() {
        PostgresTestDatabase.requireAndDropTables("jgrunnow_", "runnow_");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry);
    }
}
