package dev.jobguard.spring;

import dev.jobguard.JobGuard;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/** The {@code jobguard} health contributor (boot4 line of Spring Boot), when the health support is there. */
@AutoConfiguration(after = JobGuardAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.health.contributor.HealthIndicator")
@ConditionalOnBean(JobGuard.class)
class JobGuardHealthAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean(name = "jobguardHealthIndicator")
    @ConditionalOnEnabledHealthIndicator("jobguard")
    JobGuardHealthIndicator jobguardHealthIndicator(
            JobGuard guard, JobGuardProperties properties, Environment environment) {
        return new JobGuardHealthIndicator(
                guard, DisabledJobs.statusCode(properties.getHealth().getDisabledStatus(), environment));
    }
}
