package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class PlainSpringPropertiesTest {

    @Test
    void propertiesPlainSpringDoesNotReadAreNamedSoTheyCanBeWarnedAbout() {
        StandardEnvironment environment = new StandardEnvironment();
        environment
                .getPropertySources()
                .addFirst(new MapPropertySource(
                        "app",
                        Map.of(
                                "jobguard.enabled", "true",
                                "jobguard.datasource.exclude[0]", "reporting",
                                "jobguard.jobs.cancel.max-rows-changed", "500",
                                "jobguard.state-store.table-prefix", "ops_",
                                "other.setting", "x")));

        assertThat(JobGuardBeans.ignoredWithoutBoot(environment))
                .containsExactly(
                        "jobguard.datasource.exclude[0]", // an indexed list needs Boot's binder
                        "jobguard.jobs.cancel.max-rows-changed",
                        "jobguard.state-store.table-prefix");

        JobGuardProperties read = JobGuardBeans.fromEnvironment(environment);
        assertThat(read.isEnabled()).isTrue();
        assertThat(read.getDatasource().getExclude()).isEmpty();
    }
}
