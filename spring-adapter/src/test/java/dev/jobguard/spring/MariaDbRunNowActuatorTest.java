package dev.jobguard.spring;

import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class MariaDbRunNowActuatorTest extends AbstractRunNowActuatorTest {

    @BeforeAll
    static void database() {
        MariaDbTestDatabase.requireAndDropTables("jgrunnow_", "runnow_");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        MariaDbTestDatabase.register(registry);
    }
}
