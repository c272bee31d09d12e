package dev.jobguard.quartz;

import dev.jobguard.GuardPolicy;
import dev.jobguard.RunReport;
import org.quartz.InterruptableJob;
import org.quartz.Job;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.UnableToInterruptJobException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one execution of a guarded Quartz job inside {@link dev.jobguard.JobGuard#run}, on the worker thread. What
 * Quartz sees:
 *
 * <ul>
 *   <li>SUCCEEDED: a normal completion;
 *   <li>FAILED: the job's own {@link JobExecutionException} (its refire/unschedule flags kept), or the job's
 *       exception wrapped in one;
 *   <li>TRIPPED: a {@link JobExecutionException} that does not refire; in ENFORCE mode (the job is then DISABLED) the
 *       Quartz job is paused too, unless the adapter was built with {@code pauseOnTrip(false)};
 *   <li>SKIPPED (the veto normally catches this first): a normal return, the job not run.
 * </ul>
 *
 * Implements {@link InterruptableJob} so that {@code Scheduler.interrupt} reaches the real job; a job that is not
 * interruptable answers with {@link UnableToInterruptJobException}, as Quartz would.
 */
final class GuardedQuartzJob implements InterruptableJob {

    private static final Logger log = LoggerFactory.getLogger(GuardedQuartzJob.class);

    private final Job delegate;
    private final GuardPolicy policy;
    private final QuartzGuard guard;
    private final IllegalArgumentException misconfiguration;

    GuardedQuartzJob(Job delegate, GuardPolicy policy, QuartzGuard guard) {
        this(delegate, policy, guard, null);
    }

    private GuardedQuartzJob(
            Job delegate, GuardPolicy policy, QuartzGuard guard, IllegalArgumentException misconfiguration) {
        this.delegate = delegate;
        this.policy = policy;
        this.guard = guard;
        this.misconfiguration = misconfiguration;
    }

    static GuardedQuartzJob misconfigured(Job delegate, IllegalArgumentException misconfiguration) {
        return new GuardedQuartzJob(delegate, null, null, misconfiguration);
    }

    Job delegate() {
        return delegate;
    }

    /** The job's policy, or null when its JobDataMap keys are invalid. */
    GuardPolicy policy() {
        return policy;
    }

    @Override
    public void execute(JobExecutionContext context) throws JobExecutionException {
        if (misconfiguration != null) {
            log.error("{} (the job is not run)", misconfiguration.getMessage());
            throw new JobExecutionException(misconfiguration.getMessage(), misconfiguration, false);
        }
        RunReport report = guard.jobGuard.run(policy, () -> delegate.execute(context));
        switch (report.outcome()) {
            case SUCCEEDED, SKIPPED -> {
                return;
            }
            case TRIPPED -> {
                if (guard.pauseOnTrip && disabled()) {
                    guard.pause(context.getScheduler(), context.getJobDetail(), policy.jobName());
                }
                JobExecutionException tripped = new JobExecutionException(
                        "jobguard: job '" + policy.jobName() + "' tripped: " + report.summary(), false);
                tripped.setRefireImmediately(false);
                throw tripped;
            }
            default -> {
                Throwable failure = report.failure().orElse(null);
                if (failure instanceof JobExecutionException own) {
                    throw own;
                }
                throw new JobExecutionException(
                        "jobguard: job '" + policy.jobName() + "' failed: " + report.summary(), failure, false);
            }
        }
    }

    private boolean disabled() {
        try {
            return guard.state(policy.jobName()).job().isDisabled();
        } catch (RuntimeException unreadable) {
            return true; // the trip disabled it unless the store is gone; pausing errs on the safe side
        }
    }

    @Override
    public void interrupt() throws UnableToInterruptJobException {
        if (delegate instanceof InterruptableJob interruptable) {
            interruptable.interrupt();
        } else {
            throw new UnableToInterruptJobException(
                    "Job " + delegate.getClass().getName() + " does not implement InterruptableJob");
        }
    }
}
