package dev.jobguard.quartz;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.matchers.GroupMatcher;
import org.quartz.listeners.SchedulerListenerSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every interval, resumes the Quartz jobs the guard paused (marked {@link JobGuardQuartz#KEY_PAUSED_BY_GUARD}) whose
 * guarded job is ENABLED again, whoever enabled it (API, CLI, actuator, another node). Jobs paused by anyone else
 * carry no mark and are left alone. One daemon thread, stopped when the scheduler shuts down.
 */
final class PausedJobResumer extends SchedulerListenerSupport {

    private static final Logger log = LoggerFactory.getLogger(PausedJobResumer.class);

    private final Scheduler scheduler;
    private final QuartzGuard guard;
    private final ScheduledExecutorService executor;

    PausedJobResumer(Scheduler scheduler, QuartzGuard guard, Duration interval) {
        this.scheduler = scheduler;
        this.guard = guard;
        this.executor = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "jobguard-quartz-resumer");
            thread.setDaemon(true);
            return thread;
        });
        long millis = Math.max(1, interval.toMillis());
        executor.scheduleWithFixedDelay(this::check, millis, millis, TimeUnit.MILLISECONDS);
    }

    /** One pass; public to the package for tests. */
    void check() {
        try {
            if (scheduler.isShutdown()) {
                stop();
                return;
            }
            for (JobKey key : scheduler.getJobKeys(GroupMatcher.anyJobGroup())) {
                JobDetail detail = scheduler.getJobDetail(key);
                if (detail == null
                        || !Boolean.parseBoolean(
                                QuartzPolicies.text(detail.getJobDataMap(), JobGuardQuartz.KEY_PAUSED_BY_GUARD))) {
                    continue;
                }
                resumeIfEnabled(detail);
            }
        } catch (SchedulerException | RuntimeException failure) {
            log.warn("jobguard: could not check the Quartz jobs paused by the guard: {}", failure.toString());
        }
    }

    private void resumeIfEnabled(JobDetail detail) throws SchedulerException {
        String job;
        try {
            job = QuartzPolicies.resolve(detail, detail.getJobDataMap()).jobName();
        } catch (IllegalArgumentException invalid) {
            return;
        }
        if (guard.state(job).job().isDisabled()) {
            return;
        }
        guard.resume(scheduler, detail, job);
    }

    void stop() {
        executor.shutdownNow();
    }

    @Override
    public void schedulerShuttingdown() {
        stop();
    }

    @Override
    public void schedulerShutdown() {
        stop();
    }
}
