package dev.jobguard.quartz;

import dev.jobguard.GuardPolicy;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.RunRequest;
import java.util.Date;
import org.quartz.Job;
import org.quartz.JobDataMap;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.impl.JobExecutionContextImpl;
import org.quartz.spi.JobFactory;
import org.quartz.spi.OperableTrigger;
import org.quartz.spi.TriggerFiredBundle;

/**
 * {@link JobGuardQuartz#runNow}: creates the job with the scheduler's job factory, as for a one-off trigger, and
 * executes it inside one guarded run on the calling thread.
 */
final class QuartzRunNow {

    private final Scheduler scheduler;
    private final JobFactory factory;
    private final QuartzGuard guard;

    QuartzRunNow(Scheduler scheduler, JobFactory factory, QuartzGuard guard) {
        this.scheduler = scheduler;
        this.factory = factory;
        this.guard = guard;
    }

    RunReport run(JobKey key, RunRequest request) throws SchedulerException {
        JobDetail detail = scheduler.getJobDetail(key);
        if (detail == null) {
            throw new IllegalArgumentException(
                    "jobguard: Quartz scheduler '" + scheduler.getSchedulerName() + "' has no job " + key);
        }
        JobDataMap data = new JobDataMap(detail.getJobDataMap());
        if (!QuartzPolicies.isGuarded(detail, data)) {
            throw new IllegalArgumentException("jobguard: Quartz job " + key + " is not guarded, so it cannot be run"
                    + " now through jobguard: annotate its class with @GuardedJob or set "
                    + JobGuardQuartz.KEY_GUARDED + "=true in its JobDataMap");
        }
        GuardPolicy policy = QuartzPolicies.resolve(detail, data);
        if (detail.isConcurrentExecutionDisallowed() && executing(key)) {
            throw new IllegalStateException("jobguard: Quartz job " + key + " (guarded job '" + policy.jobName()
                    + "') disallows concurrent executions and is executing on this node: run it now once it has ended");
        }
        Date now = new Date();
        OperableTrigger trigger = (OperableTrigger) TriggerBuilder.newTrigger()
                .withIdentity("run-now-" + request.runId(), "jobguard")
                .forJob(key)
                .startAt(now)
                .build();
        trigger.setFireInstanceId("jobguard-run-now-" + request.runId());
        TriggerFiredBundle bundle = new TriggerFiredBundle(detail, trigger, null, false, now, now, null, null);
        Job job = factory.newJob(bundle, scheduler);
        if (job instanceof GuardedQuartzJob wrapped) {
            job = wrapped.delegate();
        }
        Job created = job;
        JobExecutionContext context = new JobExecutionContextImpl(scheduler, bundle, created);
        RunReport report = guard.jobGuard.run(policy, request, () -> created.execute(context));
        if (report.outcome() == RunOutcome.TRIPPED
                && guard.pauseOnTrip
                && guard.state(policy.jobName()).job().isDisabled()) {
            guard.pause(scheduler, detail, policy.jobName());
        }
        return report;
    }

    private boolean executing(JobKey key) throws SchedulerException {
        for (JobExecutionContext running : scheduler.getCurrentlyExecutingJobs()) {
            if (running.getJobDetail().getKey().equals(key)) {
                return true;
            }
        }
        return false;
    }
}
