package dev.jobguard.spring;

import dev.jobguard.JobGuard;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/** The {@code jobguard} actuator endpoint, when the actuator is on the class path and the endpoint is exposed. */
@AutoConfiguration(after = JobGuardAutoConfiguration.class)
@ConditionalOnClass(name = "org.springframework.boot.actuate.endpoint.annotation.Endpoint")
@ConditionalOnBean({JobGuard.class, PolicyResolver.class, GuardedJobRunner.class})
class JobGuardEndpointAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnAvailableEndpoint(endpoint = JobGuardEndpoint.class)
    JobGuardEndpoint jobGuardEndpoint(JobGuard guard, PolicyResolver resolver, GuardedJobRunner runner) {
        return new JobGuardEndpoint(guard, resolver, runner);
    }
}
