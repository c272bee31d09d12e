package dev.jobguard.spring.boot3;

import dev.jobguard.JobGuard;
import dev.jobguard.spring.DisabledJobs;
import dev.jobguard.spring.JobGuardProperties;
import org.springframework.boot.actuate.autoconfigure.health.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * The {@code jobguard} health contributor on Spring Boot 3.5, when its health support is on the class path. The
 * starter brings this module and its sibling for the other Boot line; the class conditions pick the one whose health
 * types are there, so one set of jars serves Spring Boot 4.0 and 3.5.
 */
@AutoConfiguration(afterName = "dev.jobguard.spring.JobGuardAutoConfiguration")
@ConditionalOnClass(name = "org.springframework.boot.actuate.health.HealthIndicator")
@ConditionalOnMissingClass("org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(JobGuard.class)
public class JobGuardHealthAutoConfiguration {

    /** Created by Spring Boot's auto-configuration. */
    public JobGuardHealthAutoConfiguration() {}

    @Bean
    @ConditionalOnMissingBean(name = "jobguardHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("jobguard")
    JobGuardHealthIndicator jobguardHealthIndicator(
            JobGuard guard, JobGuardProperties properties, Environment environment) {
        return new JobGuardHealthIndicator(
                guard, DisabledJobs.statusCode(properties.getHealth().getDisabledStatus(), environment));
    }
}
