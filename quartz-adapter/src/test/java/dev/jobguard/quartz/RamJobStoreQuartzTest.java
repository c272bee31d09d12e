package dev.jobguard.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.InMemoryStateStore;
import dev.jobguard.state.RunRecord;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.listeners.JobListenerSupport;

class RamJobStoreQuartzTest {

    private HikariDataSource pool;
    private TestJobs.Fixture fixture;
    private JobGuard guard;
    private Scheduler scheduler;
    private JobGuardQuartz installed;

    @BeforeEach
    void setUp() throws Exception {
        pool = TestDatabases.H2.pool("quartz-ram", 4);
        fixture = new TestJobs.Fixture(GuardedDataSource.wrap(pool), "quartz_invoices_" + TestDatabases.unique());
        fixture.createInvoices();
        guard = JobGuard.builder()
                .stateStore(new InMemoryStateStore())
                .nodeName("ram")
                .build();
        scheduler = scheduler(3);
        installed = JobGuardQuartz.builder(guard)
                .resumeInterval(Duration.ofMillis(200))
                .install(scheduler);
        scheduler.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (scheduler != null) {
            scheduler.shutdown(true);
        }
        if (installed != null) {
            installed.close();
        }
        if (fixture != null) {
            fixture.dropInvoices();
            fixture.close();
        }
        if (guard != null) {
            guard.close();
        }
        if (pool != null) {
            pool.close();
        }
    }

    static Scheduler scheduler(int threads) throws Exception {
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", "jg-ram-" + TestDatabases.unique());
        properties.setProperty("org.quartz.scheduler.instanceId", "ram");
        properties.setProperty("org.quartz.threadPool.threadCount", String.valueOf(threads));
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.simpl.RAMJobStore");
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        return new StdSchedulerFactory(properties).getScheduler();
    }

    private Trigger every(JobKey job, String name, long millis) {
        return TriggerBuilder.newTrigger()
                .withIdentity(name, job.getGroup())
                .forJob(job)
                .startNow()
                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                        .withIntervalInMilliseconds(millis)
                        .repeatForever())
                .build();
    }

    @Test
    void aTripLeavesTheRowsPausesAndDisablesTheJobAndVetoesTheNextTrigger() throws Exception {
        JobKey key = JobKey.jobKey("cancel", "billing");
        JobDetail job = JobBuilder.newJob(TestJobs.CancelInvoicesJob.class)
                .withIdentity(key)
                .usingJobData(TestJobs.FIXTURE, fixture.id)
                .build();
        scheduler.scheduleJob(job, every(key, "every-300ms", 300));

        String name = "billing.cancel"; // the JobKey
        await().atMost(10, TimeUnit.SECONDS).until(() -> guard.state(name).job().isDisabled());
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> scheduler.getTriggerState(TriggerKey.triggerKey("every-300ms", "billing"))
                        == Trigger.TriggerState.PAUSED);
        assertThat(fixture.cancelled()).isZero();
        assertThat(guard.runs(name, 10)).extracting(RunRecord::outcome).contains(RunOutcome.TRIPPED);
        assertThat(scheduler.getJobDetail(key).getJobDataMap().getString(JobGuardQuartz.KEY_PAUSED_BY_GUARD))
                .isEqualTo("true");
        int executions = fixture.executions.get();
        assertThat(executions).isBetween(1, 2); // a second fire may overlap a slow first run

        // a trigger added later is not covered by the pause: the veto stops it, recorded as SKIPPED
        scheduler.scheduleJob(every(key, "added-later", 100));
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> guard.runs(name, 20).stream().anyMatch(run -> run.outcome() == RunOutcome.SKIPPED));
        assertThat(fixture.executions.get()).isEqualTo(executions);
        scheduler.unscheduleJob(TriggerKey.triggerKey("added-later", "billing"));

        // enabling resumes it (only because the guard paused it), and the fixed job runs
        fixture.buggy = false;
        guard.enable(name, "fixed", "test");
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> scheduler.getTriggerState(TriggerKey.triggerKey("every-300ms", "billing"))
                        == Trigger.TriggerState.NORMAL);
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> guard.runs(name, 50).stream().anyMatch(run -> run.outcome() == RunOutcome.SUCCEEDED));
        assertThat(fixture.cancelled()).isEqualTo(1);
        assertThat(scheduler.getJobDetail(key).getJobDataMap().containsKey(JobGuardQuartz.KEY_PAUSED_BY_GUARD))
                .isFalse();
    }

    @Test
    void jobsPausedByAnOperatorAreNotResumed() throws Exception {
        JobKey key = JobKey.jobKey("probe", "ops");
        scheduler.scheduleJob(
                JobBuilder.newJob(TestJobs.ProbeJob.class)
                        .withIdentity(key)
                        .usingJobData(JobGuardQuartz.KEY_GUARDED, "true")
                        .build(),
                every(key, "probe-every-second", 1000));
        scheduler.pauseJob(key);
        installed.resumeEnabledJobs();
        assertThat(scheduler.getTriggerState(TriggerKey.triggerKey("probe-every-second", "ops")))
                .isEqualTo(Trigger.TriggerState.PAUSED);
    }

    @Test
    void jobDataMapKeysGuardAJobWithoutAnnotation() throws Exception {
        JobKey key = JobKey.jobKey("plain", "billing");
        scheduler.scheduleJob(
                JobBuilder.newJob(TestJobs.PlainCancelInvoicesJob.class)
                        .withIdentity(key)
                        .usingJobData(TestJobs.FIXTURE, fixture.id)
                        .usingJobData(JobGuardQuartz.KEY_GUARDED, "true")
                        .usingJobData(JobGuardQuartz.KEY_NAME, "plain-cancel")
                        .usingJobData(JobGuardQuartz.KEY_TABLE_PREFIX + fixture.table, 3L)
                        .build(),
                every(key, "plain-every-300ms", 300));
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> guard.state("plain-cancel").job().isDisabled());
        assertThat(fixture.cancelled()).isZero();
        assertThat(guard.state("plain-cancel").job().reason()).contains(fixture.table);
    }

    @Test
    void anInvalidJobDataMapValueFailsClosedWithAMessage() throws Exception {
        JobKey key = JobKey.jobKey("invalid", "billing");
        JobExecutionException[] failure = new JobExecutionException[1];
        scheduler.getListenerManager().addJobListener(new JobListenerSupport() {
            @Override
            public String getName() {
                return "capture";
            }

            @Override
            public void jobWasExecuted(JobExecutionContext context, JobExecutionException exception) {
                failure[0] = exception;
            }
        });
        scheduler.scheduleJob(
                JobBuilder.newJob(TestJobs.CancelInvoicesJob.class)
                        .withIdentity(key)
                        .usingJobData(TestJobs.FIXTURE, fixture.id)
                        .usingJobData(JobGuardQuartz.KEY_MAX_ROWS_CHANGED, "lots")
                        .build(),
                TriggerBuilder.newTrigger().forJob(key).startNow().build());
        await().atMost(5, TimeUnit.SECONDS).until(() -> failure[0] != null);
        assertThat(failure[0].getMessage()).contains("jobguard.maxRowsChanged").contains("lots");
        assertThat(fixture.executions.get()).isZero();
    }

    @Test
    void disallowConcurrentExecutionAndPersistJobDataSurviveTheWrapper() throws Exception {
        JobKey key = JobKey.jobKey("counting", "misc");
        scheduler.scheduleJob(
                JobBuilder.newJob(TestJobs.CountingJob.class)
                        .withIdentity(key)
                        .usingJobData(TestJobs.FIXTURE, fixture.id)
                        .build(),
                every(key, "counting-every-20ms", 20));
        await().atMost(10, TimeUnit.SECONDS).until(() -> fixture.executions.get() >= 4);
        scheduler.pauseJob(key);
        await().atMost(5, TimeUnit.SECONDS).until(() -> fixture.running.get() == 0);
        assertThat(fixture.maxRunning.get()).isEqualTo(1);
        // the data map is stored by Quartz after execute returns: wait for the last one
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> scheduler.getJobDetail(key).getJobDataMap().getInt("count") == fixture.executions.get());
        assertThat(fixture.executions.get()).isGreaterThanOrEqualTo(4);
        assertThat(guard.runs("misc.counting", 50))
                .extracting(RunRecord::outcome)
                .containsOnly(RunOutcome.SUCCEEDED);
    }

    @Test
    void interruptingAGuardedInterruptableJobReachesTheJob() throws Exception {
        JobKey key = JobKey.jobKey("waiting", "misc");
        scheduler.scheduleJob(
                JobBuilder.newJob(TestJobs.WaitingJob.class)
                        .withIdentity(key)
                        .usingJobData(TestJobs.FIXTURE, fixture.id)
                        .build(),
                TriggerBuilder.newTrigger().forJob(key).startNow().build());
        assertThat(fixture.started.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(scheduler.interrupt(key)).isTrue();
        assertThat(fixture.interrupted.await(5, TimeUnit.SECONDS)).isTrue();
        await().atMost(5, TimeUnit.SECONDS)
                .until(() ->
                        guard.runs("misc.waiting", 5).stream().anyMatch(run -> run.outcome() == RunOutcome.SUCCEEDED));
    }

    @Test
    void theGuardContextNeverLeaksToTheNextJobOnTheThreadEvenWhenAListenerThrows() throws Exception {
        scheduler.shutdown(true);
        installed.close();
        scheduler = scheduler(1);
        installed = JobGuardQuartz.install(scheduler, guard);
        scheduler.getListenerManager().addJobListener(new JobListenerSupport() {
            @Override
            public String getName() {
                return "throwing";
            }

            @Override
            public void jobWasExecuted(JobExecutionContext context, JobExecutionException exception) {
                throw new IllegalStateException("listener failure");
            }
        });
        scheduler.start();
        JobKey tripping = JobKey.jobKey("tripping", "leak");
        scheduler.scheduleJob(
                JobBuilder.newJob(TestJobs.CancelInvoicesJob.class)
                        .withIdentity(tripping)
                        .usingJobData(TestJobs.FIXTURE, fixture.id)
                        .build(),
                TriggerBuilder.newTrigger().forJob(tripping).startNow().build());
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> guard.state("leak.tripping").job().isDisabled());
        TestJobs.Fixture probe = new TestJobs.Fixture(fixture.dataSource, fixture.table);
        try {
            JobKey probeKey = JobKey.jobKey("probe", "leak");
            scheduler.scheduleJob(
                    JobBuilder.newJob(TestJobs.ProbeJob.class)
                            .withIdentity(probeKey)
                            .usingJobData(TestJobs.FIXTURE, probe.id)
                            .build(),
                    TriggerBuilder.newTrigger().forJob(probeKey).startNow().build());
            await().atMost(5, TimeUnit.SECONDS).until(() -> probe.guardActiveInProbe != null);
            assertThat(probe.guardActiveInProbe).isFalse();
        } finally {
            probe.close();
        }
        assertThat(List.of(fixture.cancelled())).containsExactly(0);
    }

    @Test
    void aJobsOwnRefireImmediatelyRunsItAgainAsANewGuardedRunButATripNeverRefires() throws Exception {
        JobKey key = JobKey.jobKey("refire", "billing");
        scheduler.scheduleJob(
                JobBuilder.newJob(RefiringJob.class)
                        .withIdentity(key)
                        .usingJobData(TestJobs.FIXTURE, fixture.id)
                        .build(),
                TriggerBuilder.newTrigger().forJob(key).startNow().build());
        String name = "billing.refire";
        await().atMost(10, TimeUnit.SECONDS)
                .until(() -> guard.runs(name, 10).stream().anyMatch(run -> run.outcome() == RunOutcome.TRIPPED));
        Thread.sleep(500);
        // first execution FAILED and asked to refire; the refire tripped (and asked again): not run a third time
        assertThat(fixture.executions.get()).isEqualTo(2);
        assertThat(guard.runs(name, 10))
                .extracting(RunRecord::outcome)
                .containsExactly(RunOutcome.TRIPPED, RunOutcome.FAILED);
        assertThat(fixture.cancelled()).isZero();
        assertThat(guard.state(name).job().isDisabled()).isTrue();
    }

    /** Fails its first execution asking Quartz to refire at once; later executions cancel every invoice (trip). */
    @dev.jobguard.annotation.GuardedJob(maxRowsChanged = 5)
    public static class RefiringJob implements org.quartz.Job {
        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            TestJobs.Fixture fixture = TestJobs.fixture(context);
            if (context.getRefireCount() == 0) {
                fixture.executions.incrementAndGet();
                throw new JobExecutionException("transient", true);
            }
            try {
                TestJobs.cancelInvoices(context);
            } catch (Exception tripped) {
                throw new JobExecutionException(tripped, true);
            }
        }
    }
}
