package dev.jobguard.quartz;

import dev.jobguard.JobGuard;
import dev.jobguard.state.StateStore;
import org.quartz.JobDetail;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the wrapper, the veto listener and the resumer share: the guard, the options, and the pause/resume of Quartz
 * jobs. A job the guard pauses carries {@link JobGuardQuartz#KEY_PAUSED_BY_GUARD} in its stored JobDataMap, so every
 * node of a cluster (and a restarted node) knows which paused jobs are the guard's to resume.
 */
final class QuartzGuard {

    private static final Logger log = LoggerFactory.getLogger(QuartzGuard.class);

    final JobGuard jobGuard;
    final boolean pauseOnTrip;

    QuartzGuard(JobGuard jobGuard, boolean pauseOnTrip) {
        this.jobGuard = jobGuard;
        this.pauseOnTrip = pauseOnTrip;
    }

    StateStore.JobStates state(String job) {
        return jobGuard.state(job);
    }

    /** Marks the job as paused by the guard, then pauses it (cluster-wide on a JDBC job store). */
    void pause(Scheduler scheduler, JobDetail running, String jobName) {
        JobKey key = running.getKey();
        try {
            // also in the running execution's map: @PersistJobDataAfterExecution writes that one back afterwards
            running.getJobDataMap().put(JobGuardQuartz.KEY_PAUSED_BY_GUARD, "true");
            JobDetail stored = scheduler.getJobDetail(key);
            if (stored != null) {
                scheduler.addJob(
                        stored.getJobBuilder()
                                .usingJobData(JobGuardQuartz.KEY_PAUSED_BY_GUARD, "true")
                                .build(),
                        true,
                        true);
            }
            scheduler.pauseJob(key);
            log.error(
                    "jobguard: Quartz job {} (guarded job '{}') PAUSED after a trip; enable the job in jobguard"
                            + " (API, CLI or actuator) and it resumes within seconds",
                    key,
                    jobName);
        } catch (SchedulerException | RuntimeException failure) {
            log.error(
                    "jobguard: Quartz job {} tripped but could not be paused ({}); jobguard still skips it while it"
                            + " is DISABLED",
                    key,
                    failure.toString());
        }
    }

    /** Resumes a job the guard paused and clears the mark. */
    void resume(Scheduler scheduler, JobDetail stored, String jobName) throws SchedulerException {
        scheduler.resumeJob(stored.getKey());
        JobDetail cleared = stored.getJobBuilder().build();
        cleared.getJobDataMap().remove(JobGuardQuartz.KEY_PAUSED_BY_GUARD);
        scheduler.addJob(cleared, true, true);
        log.info("jobguard: Quartz job {} (guarded job '{}') resumed: it is ENABLED again", stored.getKey(), jobName);
    }
}
