package dev.jobguard.spring;

import dev.jobguard.JobGuard;
import dev.jobguard.notify.TripListener;
import dev.jobguard.state.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * What {@link EnableJobGuard} registers in a plain Spring application (no conditions: every bean is created). In a
 * Boot application the auto-configuration registers the same beans, each only when missing.
 */
@Configuration(proxyBeanMethods = false)
@Import({JobGuardProxyRegistrar.class, JobGuardBatchConfiguration.class})
class JobGuardConfiguration {

    @Bean
    static GuardedDataSourcePostProcessor jobGuardDataSourcePostProcessor(Environment environment) {
        return JobGuardBeans.dataSourcePostProcessor(JobGuardBeans.fromEnvironment(environment));
    }

    @Bean
    StateStore jobGuardStateStore(
            ObjectProvider<DataSource> dataSources,
            ObjectProvider<JobGuardProperties> properties,
            Environment environment) {
        return JobGuardBeans.stateStore(dataSources, JobGuardBeans.properties(properties, environment));
    }

    @Bean
    JobGuard jobGuard(
            ObjectProvider<JobGuardProperties> properties,
            Environment environment,
            StateStore stateStore,
            ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<TripListener> listeners,
            ConfigurableListableBeanFactory beanFactory) {
        return JobGuardBeans.jobGuard(
                JobGuardBeans.properties(properties, environment), stateStore, meterRegistry, listeners, beanFactory);
    }

    @Bean
    PolicyResolver jobGuardPolicyResolver(ObjectProvider<JobGuardProperties> properties, Environment environment) {
        return new PolicyResolver(
                JobGuardBeans.properties(properties, environment).getJobs());
    }

    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static GuardedJobAdvisor jobGuardAdvisor(
            ObjectProvider<JobGuard> guard, ObjectProvider<PolicyResolver> resolver, Environment environment) {
        return JobGuardBeans.advisor(guard, resolver, JobGuardBeans.fromEnvironment(environment));
    }

    @Bean
    GuardedJobValidator jobGuardValidator(ConfigurableListableBeanFactory beanFactory, PolicyResolver resolver) {
        return new GuardedJobValidator(beanFactory, resolver);
    }

    @Bean
    GuardedJobRunner jobGuardRunner(
            PolicyResolver resolver,
            ConfigurableListableBeanFactory beanFactory,
            ObjectProvider<JobGuardProperties> properties,
            Environment environment) {
        return new GuardedJobRunner(
                resolver,
                beanFactory,
                JobGuardBeans.properties(properties, environment).getRunNow().getTimeout());
    }

    @Bean
    ApplicationEventTripListener jobGuardEventTripListener(ApplicationEventPublisher publisher) {
        return new ApplicationEventTripListener(publisher);
    }
}
