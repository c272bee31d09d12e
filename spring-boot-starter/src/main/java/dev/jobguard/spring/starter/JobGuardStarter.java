package dev.jobguard.spring.starter;

/**
 * What {@code jobguard-spring-boot-starter} brings: {@code jobguard-spring} and the parts for Spring Boot 4.x
 * ({@code jobguard-spring-boot4}) and 3.5 ({@code jobguard-spring-boot3}). Nothing to call: Spring Boot's
 * auto-configuration guards every {@code @Scheduled @GuardedJob} method.
 */
public final class JobGuardStarter {

    /** The Spring Boot lines this starter's jars are built and tested for. */
    public static final String SUPPORTED_SPRING_BOOT_LINES = "4.0, 3.5";

    private JobGuardStarter() {}
}
