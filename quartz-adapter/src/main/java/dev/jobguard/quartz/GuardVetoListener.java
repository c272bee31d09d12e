package dev.jobguard.quartz;

import dev.jobguard.RunOutcome;
import dev.jobguard.state.JobState;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStore;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.quartz.JobExecutionContext;
import org.quartz.Trigger;
import org.quartz.listeners.TriggerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Vetoes executions of guarded jobs that are DISABLED (or while the global switch is off), recording a SKIPPED run;
 * vetoes too when the state cannot be read (fail closed, nothing recorded since the store is unreachable). Runs on
 * the worker thread, before the job; sets no thread-local state.
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
        JobState why = states.global().isDisabled() ? states.global() : states.job();
        String detail = (why == states.global() ? "all jobs are disabled" : "the job is DISABLED") + " (by "
                + why.actor() + " at " + why.changedAt() + ": " + why.reason() + "); Quartz execution vetoed";
        recordSkipped(job, context, detail);
        log.info(
                "jobguard: Quartz job {} (guarded job '{}') vetoed: {}",
                context.getJobDetail().getKey(),
                job,
                detail);
        return true;
    }

    private void recordSkipped(String job, JobExecutionContext context, String detail) {
        try {
            Instant now = Instant.now();
            String node;
            try {
                node = context.getScheduler().getSchedulerInstanceId();
            } catch (Exception unknown) {
                node = "quartz";
            }
            guard.jobGuard
                    .stateStore()
                    .runEnded(new RunRecord(
                            UUID.randomUUID().toString(),
                            job,
                            node,
                            guarded(context).policy().mode(),
                            now,
                            now,
                            RunOutcome.SKIPPED,
                            null,
                            detail,
                            0,
                            false,
                            Map.of()));
        } catch (RuntimeException failure) {
            log.warn("jobguard: could not record the SKIPPED run of job '{}': {}", job, failure.toString());
        }
    }

    private static GuardedQuartzJob guarded(JobExecutionContext context) {
        return (GuardedQuartzJob) context.getJobInstance();
    }
}
