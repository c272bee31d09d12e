package dev.jobguard.quartz;

import dev.jobguard.state.StateStore;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vetoes executions of guarded jobs that are DISABLED (or while the global switch is off), recording and counting a
 * SKIPPED run through {@link dev.jobguard.JobGuard#recordRefused}, as a skip inside the guard would be; vetoes too
 * when the state cannot be read (fail closed, nothing recorded since the store is unreachable). Runs on the worker
 * thread, before the job; sets no thread-local state.
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
        String job = guarded.policy().jobName();
        StateStore.JobStates states;
        try {
            states = guard.state(job);
        } catch (RuntimeException unreadable) {
            log.error(
                    "jobguard: Quartz job {} (guarded job '{}') vetoed: could not read its state ({}); jobguard fails"
                            + " closed",
                    context.getJobDetail().getKey(),
                    job,
                    unreadable.toString());
            return true;
        }
        if (states.runnable()) {
            return false;
        }
        try {
            guard.jobGuard.recordRefused(
                    guarded.policy(),
                    states,
                    "Quartz execution of " + context.getJobDetail().getKey() + " vetoed");
        } catch (RuntimeException failure) {
            log.warn("jobguard: could not record the SKIPPED run of job '{}': {}", job, failure.toString());
        }
        return true;
    }
}
