package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;

/**
 * {@code @EnableJobGuard} in a plain Spring application with no Spring Boot on the class path at all: the scenario runs
 * in a class loader built from the test class path minus every {@code spring-boot*} jar.
 */
class PlainSpringTest {

    @Test
    void tripsRollsBackAndDisablesAnOverLimitJobWithoutSpringBoot() throws Exception {
        List<URL> urls = new ArrayList<>();
        for (String entry : testClassPath().split(File.pathSeparator)) {
            if (!entry.isBlank() && !Path.of(entry).getFileName().toString().startsWith("spring-boot")) {
                urls.add(toUrl(entry));
            }
        }
        ClassLoader parent = ClassLoader.getPlatformClassLoader();
        try (URLClassLoader withoutBoot = new URLClassLoader(urls.toArray(URL[]::new), parent)) {
            Thread thread = Thread.currentThread();
            ClassLoader previous = thread.getContextClassLoader();
            thread.setContextClassLoader(withoutBoot);
            Map<String, Object> seen;
            try {
                @SuppressWarnings("unchecked")
                Callable<Map<String, Object>> scenario = (Callable<Map<String, Object>>) withoutBoot
                        .loadClass(PlainSpringScenario.class.getName())
                        .getConstructor()
                        .newInstance();
                seen = scenario.call();
            } finally {
                thread.setContextClassLoader(previous);
            }

            assertThat(seen.get("bootLoadable")).as("Spring Boot hidden").isEqualTo(false);
            assertThat(seen.get("dataSource")).isEqualTo("dev.jobguard.jdbc.GuardedDataSource");
            assertThat(seen.get("outcome")).isEqualTo("TRIPPED");
            assertThat(seen.get("closed"))
                    .as("invoices closed by the tripped run")
                    .isEqualTo(0);
            assertThat(seen.get("audit"))
                    .as("audit rows written before the trip")
                    .isEqualTo(0);
            assertThat(seen.get("status")).isEqualTo("DISABLED");
            assertThat(seen.get("executions"))
                    .as("the disabled job is not run again")
                    .isEqualTo(1);
            assertThat(seen.get("lastOutcome")).isEqualTo("SKIPPED");
        }
    }

    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null ? surefire : System.getProperty("java.class.path");
    }

    private static URL toUrl(String entry) {
        try {
            return Path.of(entry).toUri().toURL();
        } catch (MalformedURLException invalid) {
            throw new IllegalStateException(invalid);
        }
    }
}
