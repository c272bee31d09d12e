package dev.jobguard.quartz;

import dev.jobguard.GuardPolicy;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

/**
 * Decorates the user's {@link JobFactory}: the delegate creates (and, e.g. for Spring's {@code SpringBeanJobFactory},
 * autowires) the job as before; guarded jobs come back wrapped in a {@link GuardedQuartzJob}. Runs on the scheduler
 * thread.
 */
final class GuardingJobFactory implements JobFactory {

    private final JobFactory delegate;
    private final QuartzGuard guard;

    GuardingJobFactory(JobFactory delegate, QuartzGuard guard) {
        this.delegate = delegate;
        this.guard = guard;
    }

    JobFactory delegate() {
        return delegate;
    }

    @Override
    public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
        Job job = delegate.newJob(bundle, scheduler);
        JobDetail detail = bundle.getJobDetail();
        JobDataMap data = merged(bundle);
        if (job instanceof GuardedQuartzJob || !QuartzPolicies.isGuarded(detail, data)) {
            return job;
        }
        GuardPolicy policy;
        try {
            policy = QuartzPolicies.resolve(detail, data);
        } catch (IllegalArgumentException invalid) {
            // fail closed: the job never runs unguarded; the message names the key to fix
            return GuardedQuartzJob.misconfigured(job, invalid);
        }
        return new GuardedQuartzJob(job, policy, guard);
    }

    private static JobDataMap merged(TriggerFiredBundle bundle) {
        JobDataMap data = new JobDataMap();
        data.putAll(bundle.getJobDetail().getJobDataMap());
        if (bundle.getTrigger() != null) {
            data.putAll(bundle.getTrigger().getJobDataMap());
        }
        return data;
    }
}
