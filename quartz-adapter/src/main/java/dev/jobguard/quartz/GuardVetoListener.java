package dev.jobguard.quartz;

import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vetoes executions of guarded jobs that are DISABLED (or while the global switch is off), and when their state cannot
 * be read (fail closed); each vetoed execution is recorded (where the store answers), counted and logged by the core
 * as a skip inside {@link dev.jobguard.JobGuard#run} would be ({@link dev.jobguard.JobGuard#refuseUnlessRunnable}).
 * Runs on the worker thread, before the job; sets no thread-local state.
 */
final class GuardVetoListener extends TriggerListenerSupport {

    static final String NAME = "jobguard-veto";

    private static final Logger log = LoggerFactory.getLogger(GuardVetoListener.class);

    private final QuartzGuard guard;

    GuardVetoListener(QuartzGuard guard) {
        this.guard = guard;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean vetoJobExecution(Trigger trigger, JobExecutionContext context) {
        if (!(context.getJobInstance() instanceof GuardedQuartzJob guarded) || guarded.policy() == null) {
            return false;
        }
        try {
            return guard.jobGuard
                    .refuseUnlessRunnable(
                            guarded.policy(),
                            "Quartz execution of " + context.getJobDetail().getKey() + " vetoed")
                    .isPresent();
        } catch (RuntimeException failure) {
            log.error(
                    "jobguard: Quartz job {} (guarded job '{}') vetoed: its state could not be checked ({}); jobguard"
                            + " fails closed",
                    context.getJobDetail().getKey(),
                    guarded.policy().jobName(),
                    failure.toString());
            return true;
        }
    }
}
