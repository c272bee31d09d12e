package dev.jobguard.spring;

import dev.jobguard.JobGuard;
import dev.jobguard.quartz.JobGuardQuartz;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;

/**
 * Installs the Quartz adapter on the application's Quartz {@link Scheduler} (Boot's auto-configured one, whose
 * {@code SpringBeanJobFactory} keeps autowiring the jobs) when {@code jobguard-quartz} is on the class path.
 * {@code jobguard.quartz.enabled=false} leaves the scheduler alone.
 */
@AutoConfiguration(
        after = JobGuardAutoConfiguration.class,
        afterName = {
            "org.springframework.boot.quartz.autoconfigure.QuartzAutoConfiguration",
            "org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration"
        })
@ConditionalOnClass({Scheduler.class, JobGuardQuartz.class})
@ConditionalOnBean({Scheduler.class, JobGuard.class})
@ConditionalOnProperty(prefix = "jobguard.quartz", name = "enabled", matchIfMissing = true)
class JobGuardQuartzAutoConfiguration {

    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    JobGuardQuartz jobGuardQuartz(Scheduler scheduler, JobGuard guard) throws SchedulerException {
        return JobGuardQuartz.install(scheduler, guard);
    }
}
