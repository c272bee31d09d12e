package dev.jobguard.spring;

import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

class H2RunNowActuatorTest extends AbstractRunNowActuatorTest {

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> "jdbc:h2:mem:runnow-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
    }
}
