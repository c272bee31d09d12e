package dev.jobguard.spring;

/**
 * The Spring Boot line the tests run on, and its line-specific module's classes, which the build compiles into the
 * tests from spring-boot4 (default) or spring-boot3 ({@code -Pboot3}).
 */
final class BootLine {

    private BootLine() {}

    /** @return whether the tests run on Spring Boot 4 (health types in {@code spring-boot-health}) */
    static boolean boot4() {
        try {
            Class.forName("org.springframework.boot.health.contributor.HealthIndicator");
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /** @return the health auto-configuration of this line's module */
    static Class<?> healthAutoConfiguration() {
        String name = "dev.jobguard.spring." + (boot4() ? "boot4" : "boot3") + ".JobGuardHealthAutoConfiguration";
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(name + " is not on the test class path (see spring-adapter/pom.xml)", e);
        }
    }
}
