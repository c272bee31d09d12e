package dev.jobguard.spring;

import org.springframework.test.context.TestPropertySource;

/** {@link AbstractSpringBatchIntegrationTest} on an embedded H2 database of its own. */
@TestPropertySource(properties = "spring.datasource.url=jdbc:h2:mem:jobguard-spring-batch;DB_CLOSE_DELAY=-1")
class H2SpringBatchIntegrationTest extends AbstractSpringBatchIntegrationTest {}
