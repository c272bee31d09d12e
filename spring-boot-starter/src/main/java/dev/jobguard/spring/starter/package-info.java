/**
 * {@code jobguard-spring-boot-starter} holds no code of its own: it brings {@code jobguard-spring}, whose
 * auto-configuration guards {@code @Scheduled @GuardedJob} methods, and the line-specific parts for Spring Boot 4.x
 * ({@code jobguard-spring-boot4}) and 3.5 ({@code jobguard-spring-boot3}), of which the one matching the application's
 * Spring Boot is picked at run time by its class conditions. Add {@code spring-boot-starter-actuator} for the
 * {@code jobguard} endpoint and health contributor.
 */
package dev.jobguard.spring.starter;
