package dev.jobguard.spring;

import dev.jobguard.JobGuard;
import dev.jobguard.notify.TripListener;
import dev.jobguard.state.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;

/**
 * Spring Boot auto-configuration: the beans of {@link EnableJobGuard}, each only when the application has none of its
 * type, configured by {@code jobguard.*}. {@code jobguard.enabled=false} keeps every bean but skips every guarded
 * job: they never run unguarded.
 */
@AutoConfiguration(
        afterName = {
            "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
            "org.springframework.boot.autoconfigure.jdbc.DataSourceAutoConfiguration"
        })
@EnableConfigurationProperties(JobGuardProperties.class)
@Import({JobGuardProxyRegistrar.class, JobGuardBatchConfiguration.class})
class JobGuardAutoConfiguration {

    @Bean
    @ConditionalOnMissingBean
    // no condition on jobguard.datasource.wrap: the binder reads it as Spring does (yes, on, 1 mean true)
    static GuardedDataSourcePostProcessor jobGuardDataSourcePostProcessor(Environment environment) {
        // a post-processor is created before the properties bean is bound: bind what it needs here
        JobGuardProperties properties = new JobGuardProperties();
        Binder.get(environment).bind("jobguard.datasource", Bindable.ofInstance(properties.getDatasource()));
        return JobGuardBeans.dataSourcePostProcessor(properties);
    }

    @Bean
    @ConditionalOnMissingBean
    StateStore jobGuardStateStore(ObjectProvider<DataSource> dataSources, JobGuardProperties properties) {
        return JobGuardBeans.stateStore(dataSources, properties);
    }

    @Bean
    @ConditionalOnMissingBean
    JobGuard jobGuard(
            JobGuardProperties properties,
            StateStore stateStore,
            ObjectProvider<MeterRegistry> meterRegistry,
            ObjectProvider<TripListener> listeners,
            ConfigurableListableBeanFactory beanFactory) {
        return JobGuardBeans.jobGuard(properties, stateStore, meterRegistry, listeners, beanFactory);
    }

    @Bean
    @ConditionalOnMissingBean
    PolicyResolver jobGuardPolicyResolver(JobGuardProperties properties, Environment environment) {
        UnknownProperties.check(environment);
        return new PolicyResolver(properties.getJobs());
    }

    @Bean
    @ConditionalOnMissingBean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static GuardedJobAdvisor jobGuardAdvisor(
            ObjectProvider<JobGuard> guard, ObjectProvider<PolicyResolver> resolver, Environment environment) {
        JobGuardProperties properties = new JobGuardProperties();
        Binder.get(environment).bind("jobguard.advisor-order", Integer.class).ifBound(properties::setAdvisorOrder);
        return JobGuardBeans.advisor(guard, resolver, properties);
    }

    @Bean
    @ConditionalOnMissingBean
    GuardedJobValidator jobGuardValidator(ConfigurableListableBeanFactory beanFactory, PolicyResolver resolver) {
        return new GuardedJobValidator(beanFactory, resolver);
    }

    @Bean
    @ConditionalOnMissingBean
    GuardedJobRunner jobGuardRunner(
            PolicyResolver resolver, ConfigurableListableBeanFactory beanFactory, JobGuardProperties properties) {
        return new GuardedJobRunner(
                resolver, beanFactory, properties.getRunNow().getTimeout());
    }

    @Bean
    @ConditionalOnMissingBean
    ApplicationEventTripListener jobGuardEventTripListener(ApplicationEventPublisher publisher) {
        return new ApplicationEventTripListener(publisher);
    }
}
