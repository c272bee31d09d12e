package dev.jobguard.quartz;

import dev.jobguard.JobGuard;
import dev.jobguard.RunReport;
import dev.jobguard.RunRequest;
import dev.jobguard.config.PolicySetting;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.Objects;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.impl.StdScheduler;
import org.quartz.simpl.PropertySettingJobFactory;
import org.quartz.spi.JobFactory;

/**
 * Guards the jobs of a Quartz {@link Scheduler}.
 *
 * <pre>{@code
 * JobGuardQuartz.install(scheduler, jobGuard);                 // one call
 * JobGuardQuartz.builder(jobGuard)                            // or with options
 *         .jobFactory(springBeanJobFactory)                    // the factory that creates your jobs
 *         .pauseOnTrip(true).resumeInterval(Duration.ofSeconds(2))
 *         .install(scheduler);
 * }</pre>
 *
 * A job is guarded when its class carries {@code @GuardedJob}, or its JobDataMap (job's or trigger's) has
 * {@link #KEY_GUARDED}{@code =true}. Its name is the annotation's {@code name}, else {@link #KEY_NAME}, else the
 * JobKey ({@code group.name}); the {@code jobguard.*} keys below override the annotation's limits. Installing sets a
 * decorating {@link JobFactory} (around the scheduler's current one, or the one given), a trigger listener that
 * vetoes executions of DISABLED jobs, and a poller that resumes the Quartz jobs the guard paused once they are
 * enabled again.
 */
public final class JobGuardQuartz implements AutoCloseable {

    /** {@code true}: guard this job even though its class has no {@code @GuardedJob}. */
    public static final String KEY_GUARDED = "jobguard.guarded";
    /** The guarded job's name (default: the JobKey, {@code group.name}). */
    public static final String KEY_NAME = "jobguard.name";
    /** {@code enforce}, {@code observe} or {@code dry-run}. */
    public static final String KEY_MODE = PolicySetting.MODE.quartzKey();
    /** Most rows the whole run may change. */
    public static final String KEY_MAX_ROWS_CHANGED = PolicySetting.MAX_ROWS_CHANGED.quartzKey();
    /** Most rows one statement may change. */
    public static final String KEY_MAX_ROWS_PER_STATEMENT = PolicySetting.MAX_ROWS_PER_STATEMENT.quartzKey();
    /** Prefix of per-table limits: {@code jobguard.table.invoices=200}. */
    public static final String KEY_TABLE_PREFIX =
            PolicySetting.TABLE_LIMITS.quartzKey().replace("<table>", "");
    /** {@code true}: all-or-nothing run. */
    public static final String KEY_ATOMIC = PolicySetting.ATOMIC.quartzKey();
    /** {@code false}: do not count an UPDATE's or DELETE's rows before it runs (on by default). */
    public static final String KEY_PREFLIGHT = PolicySetting.PREFLIGHT.quartzKey();
    /** {@code true}: allow TRUNCATE. */
    public static final String KEY_ALLOW_TRUNCATE = PolicySetting.ALLOW_TRUNCATE.quartzKey();
    /** Failures in a row that trip the guard. */
    public static final String KEY_MAX_CONSECUTIVE_FAILURES = PolicySetting.MAX_CONSECUTIVE_FAILURES.quartzKey();
    /** ISO-8601 duration, e.g. {@code PT10M}. */
    public static final String KEY_MAX_DURATION = PolicySetting.MAX_DURATION.quartzKey();
    /** {@code true}: trip when the driver does not report how many rows a statement changed. */
    public static final String KEY_TRIP_ON_UNKNOWN_ROW_COUNT = PolicySetting.TRIP_ON_UNKNOWN_ROW_COUNT.quartzKey();
    /** {@code true}: a run over {@link #KEY_MAX_DURATION} trips (else it is only recorded). */
    public static final String KEY_TRIP_ON_MAX_DURATION = PolicySetting.TRIP_ON_MAX_DURATION.quartzKey();
    /** ISO-8601 duration: how long the cluster lock is held at most, e.g. {@code PT30M}. */
    public static final String KEY_LOCK_AT_MOST_FOR = PolicySetting.LOCK_AT_MOST_FOR.quartzKey();
    /** {@code true}: journal the before-images of the run's changes, for a revert. */
    public static final String KEY_JOURNAL = PolicySetting.JOURNAL.quartzKey();
    /** {@code true}: a write the journal cannot capture trips the run before it executes. */
    public static final String KEY_TRIP_ON_JOURNAL_GAP = PolicySetting.TRIP_ON_JOURNAL_GAP.quartzKey();
    /** {@code true}: a tripped journaled run is reverted at once. */
    public static final String KEY_AUTO_REVERT = PolicySetting.AUTO_REVERT.quartzKey();
    /** {@code false}: no anomaly limit for this job (on by default). */
    public static final String KEY_ANOMALY = PolicySetting.ANOMALY.quartzKey();
    /** The anomaly limit's factor over the median of the job's recent runs. */
    public static final String KEY_ANOMALY_FACTOR = PolicySetting.ANOMALY_FACTOR.quartzKey();
    /** The anomaly limit's floor, in rows. */
    public static final String KEY_ANOMALY_MIN_ROWS = PolicySetting.ANOMALY_MIN_ROWS.quartzKey();
    /** Recent runs the anomaly limit's median is taken over. */
    public static final String KEY_ANOMALY_HISTORY = PolicySetting.ANOMALY_HISTORY.quartzKey();
    /** Runs of history needed before the anomaly limit applies. */
    public static final String KEY_ANOMALY_MIN_RUNS = PolicySetting.ANOMALY_MIN_RUNS.quartzKey();
    /** Set by the guard on a job it paused after a trip; only such jobs are resumed by it. Do not set it yourself. */
    public static final String KEY_PAUSED_BY_GUARD = "jobguard.pausedByGuard";

    /** The default interval at which paused jobs are checked for being enabled again. */
    public static final Duration DEFAULT_RESUME_INTERVAL = Duration.ofSeconds(2);

    private final Scheduler scheduler;
    private final PausedJobResumer resumer;
    private final QuartzRunNow runNow;

    private JobGuardQuartz(Scheduler scheduler, PausedJobResumer resumer, QuartzRunNow runNow) {
        this.scheduler = scheduler;
        this.resumer = resumer;
        this.runNow = runNow;
    }

    /** Installs jobguard on the scheduler with the defaults (pause on trip, resume check every 2 s). */
    public static JobGuardQuartz install(Scheduler scheduler, JobGuard jobGuard) throws SchedulerException {
        return builder(jobGuard).install(scheduler);
    }

    public static Builder builder(JobGuard jobGuard) {
        return new Builder(jobGuard);
    }

    /**
     * A {@link JobFactory} that creates jobs with {@code delegate} and guards the guarded ones, for setups that set
     * the factory themselves. The vetoes and the resume of paused jobs need {@link #install} as well (pass the same
     * delegate to {@link Builder#jobFactory}).
     */
    public static JobFactory jobFactory(JobGuard jobGuard, JobFactory delegate) {
        return new GuardingJobFactory(
                Objects.requireNonNull(delegate, "delegate"),
                new QuartzGuard(Objects.requireNonNull(jobGuard, "jobGuard"), true));
    }

    /**
     * Runs a guarded job once now, outside its schedule, on the calling thread of this node ("run now"): the job is
     * created by the scheduler's job factory as for a trigger, and executed under the same state checks and lock as a
     * scheduled execution (a disabled job is SKIPPED), in the mode the request combines with the job's own
     * ({@link RunRequest}). A trip in ENFORCE mode disables (and, with {@code pauseOnTrip}, pauses) the job as a
     * scheduled trip does. Quartz's own listeners are not told of the execution, and changes to its JobDataMap are not
     * stored.
     *
     * @return the run's report, under the request's run id
     * @throws IllegalArgumentException when the scheduler has no such job, or it is not guarded or misconfigured
     * @throws IllegalStateException when the job disallows concurrent executions and is executing on this node
     */
    public RunReport runNow(JobKey jobKey, RunRequest request) throws SchedulerException {
        return runNow.run(Objects.requireNonNull(jobKey, "jobKey"), Objects.requireNonNull(request, "request"));
    }

    /** Runs one check of the paused jobs now (normally done every resume interval). */
    public void resumeEnabledJobs() {
        resumer.check();
    }

    /** Stops the resume poller and removes the veto listener; the job factory stays in place. */
    @Override
    public void close() {
        resumer.stop();
        try {
            scheduler.getListenerManager().removeTriggerListener(GuardVetoListener.NAME);
            scheduler.getListenerManager().removeSchedulerListener(resumer);
        } catch (SchedulerException ignored) {
            // the scheduler is gone
        }
    }

    /** Options of the installation. */
    public static final class Builder {
        private final JobGuard jobGuard;
        private JobFactory jobFactory;
        private boolean pauseOnTrip = true;
        private Duration resumeInterval = DEFAULT_RESUME_INTERVAL;

        private Builder(JobGuard jobGuard) {
            this.jobGuard = Objects.requireNonNull(jobGuard, "jobGuard");
        }

        /**
         * The factory that creates the jobs (e.g. Spring's {@code SpringBeanJobFactory}, already initialised). When
         * not set, the scheduler's current factory is kept (read from a {@link StdScheduler}), else Quartz's
         * {@link PropertySettingJobFactory}.
         */
        public Builder jobFactory(JobFactory factory) {
            this.jobFactory = Objects.requireNonNull(factory, "jobFactory");
            return this;
        }

        /** Whether a trip in ENFORCE mode also pauses the Quartz job (default true). */
        public Builder pauseOnTrip(boolean pause) {
            this.pauseOnTrip = pause;
            return this;
        }

        /** How often paused jobs are checked for being enabled again (default 2 s). */
        public Builder resumeInterval(Duration interval) {
            if (interval == null || interval.isNegative() || interval.isZero()) {
                throw new IllegalArgumentException("jobguard: resumeInterval must be > 0, got " + interval);
            }
            this.resumeInterval = interval;
            return this;
        }

        public JobGuardQuartz install(Scheduler scheduler) throws SchedulerException {
            Objects.requireNonNull(scheduler, "scheduler");
            QuartzGuard guard = new QuartzGuard(jobGuard, pauseOnTrip);
            JobFactory delegate = jobFactory != null ? jobFactory : currentFactory(scheduler);
            if (delegate instanceof GuardingJobFactory already) {
                delegate = already.delegate();
            }
            scheduler.setJobFactory(new GuardingJobFactory(delegate, guard));
            scheduler.getListenerManager().removeTriggerListener(GuardVetoListener.NAME);
            scheduler.getListenerManager().addTriggerListener(new GuardVetoListener(guard));
            PausedJobResumer resumer = new PausedJobResumer(scheduler, guard, resumeInterval);
            scheduler.getListenerManager().addSchedulerListener(resumer);
            return new JobGuardQuartz(scheduler, resumer, new QuartzRunNow(scheduler, delegate, guard));
        }

        private static JobFactory currentFactory(Scheduler scheduler) {
            if (scheduler instanceof StdScheduler) {
                try {
                    Field field = StdScheduler.class.getDeclaredField("sched");
                    field.setAccessible(true);
                    Object quartz = field.get(scheduler);
                    Object factory =
                            quartz.getClass().getMethod("getJobFactory").invoke(quartz);
                    if (factory instanceof JobFactory current) {
                        return current;
                    }
                } catch (ReflectiveOperationException | RuntimeException unavailable) {
                    // fall through to Quartz's default
                }
            }
            return new PropertySettingJobFactory();
        }
    }
}
