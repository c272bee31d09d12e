package dev.jobguard.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.internal.metrics.GuardMetrics;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.RunRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SchedulerException;
import org.quartz.TriggerBuilder;
import org.quartz.simpl.PropertySettingJobFactory;
import org.quartz.spi.JobFactory;
import org.quartz.spi.TriggerFiredBundle;

class JobFactoryAndVetoTest {

    private HikariDataSource pool;
    private TestJobs.Fixture fixture;
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private JobGuard guard;
    private Scheduler scheduler;
    private JobGuardQuartz installed;

    /** A user's factory that "injects" something, as Spring's SpringBeanJobFactory autowires. */
    static final class InjectingFactory implements JobFactory {
        private final PropertySettingJobFactory real = new PropertySettingJobFactory();

        @Override
        public Job newJob(TriggerFiredBundle bundle, Scheduler scheduler) throws SchedulerException {
            Job job = real.newJob(bundle, scheduler);
            if (job instanceof InjectedJob injected) {
                injected.injected = "from-factory";
            }
            return job;
        }
    }

    @dev.jobguard.annotation.GuardedJob(name = "injected")
    public static class InjectedJob implements Job {
        volatile String injected;

        @Override
        public void execute(JobExecutionContext context) {
            TestJobs.Fixture fixture = TestJobs.fixture(context);
            fixture.guardActiveInProbe =
                    dev.jobguard.GuardContext.current().isActive() && "from-factory".equals(injected);
            fixture.executions.incrementAndGet();
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        pool = TestDatabases.H2.pool("quartz-factory", 2);
        fixture = new TestJobs.Fixture(GuardedDataSource.wrap(pool), "quartz_invoices_" + TestDatabases.unique());
        guard = JobGuard.builder().meterRegistry(registry).nodeName("factory").build();
        scheduler = RamJobStoreQuartzTest.scheduler(2);
    }

    @AfterEach
    void tearDown() throws Exception {
        scheduler.shutdown(true);
        if (installed != null) {
            installed.close();
        }
        fixture.close();
        guard.close();
        pool.close();
    }

    private void runOnce(JobKey key, Class<? extends Job> type) throws SchedulerException {
        scheduler.scheduleJob(
                JobBuilder.newJob(type)
                        .withIdentity(key)
                        .usingJobData(TestJobs.FIXTURE, fixture.id)
                        .build(),
                TriggerBuilder.newTrigger().forJob(key).startNow().build());
    }

    @Test
    void theUsersFactoryGivenToTheBuilderStillCreatesTheJob() throws Exception {
        installed =
                JobGuardQuartz.builder(guard).jobFactory(new InjectingFactory()).install(scheduler);
        scheduler.start();
        runOnce(JobKey.jobKey("injected-1"), InjectedJob.class);
        await().atMost(5, TimeUnit.SECONDS).until(() -> fixture.guardActiveInProbe != null);
        assertThat(fixture.guardActiveInProbe).isTrue();
    }

    @Test
    void installKeepsTheFactoryAlreadySetOnTheScheduler() throws Exception {
        scheduler.setJobFactory(new InjectingFactory());
        installed = JobGuardQuartz.install(scheduler, guard);
        scheduler.start();
        runOnce(JobKey.jobKey("injected-2"), InjectedJob.class);
        await().atMost(5, TimeUnit.SECONDS).until(() -> fixture.guardActiveInProbe != null);
        assertThat(fixture.guardActiveInProbe).isTrue();
        assertThat(guard.runs("injected", 5)).extracting(RunRecord::outcome).containsExactly(RunOutcome.SUCCEEDED);
    }

    @Test
    void anUnreadableStateStoreVetoesTheJobFailClosedAndCountsItLikeTheGuard() throws Exception {
        HikariDataSource statePool = TestDatabases.H2.pool("quartz-factory-state", 1);
        guard.close();
        guard = JobGuard.builder()
                .stateStore(JdbcStateStore.create(statePool))
                .meterRegistry(registry)
                .build();
        installed = JobGuardQuartz.builder(guard)
                .resumeInterval(Duration.ofSeconds(1))
                .install(scheduler);
        statePool.close();
        scheduler.start();
        runOnce(JobKey.jobKey("injected-3"), InjectedJob.class);
        await().atMost(5, TimeUnit.SECONDS).until(() -> runsCounted("injected") > 0);
        await().during(Duration.ofMillis(800)).atMost(3, TimeUnit.SECONDS).until(() -> fixture.executions.get() == 0);
        assertThat(scheduler.getCurrentlyExecutingJobs()).isEmpty();
        assertThat(registry.get(GuardMetrics.RUNS)
                        .tags("job", "injected", "outcome", "SKIPPED")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(registry.get(GuardMetrics.STATE_ERRORS)
                        .tag("job", "injected")
                        .counter()
                        .count())
                .isEqualTo(1);
    }

    @Test
    void theGlobalSwitchVetoesAndRecordsSkipped() throws Exception {
        installed = JobGuardQuartz.install(scheduler, guard);
        guard.disableAll("maintenance", "test");
        scheduler.start();
        runOnce(JobKey.jobKey("injected-4"), InjectedJob.class);
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> guard.runs("injected", 5).stream().anyMatch(run -> run.outcome() == RunOutcome.SKIPPED));
        assertThat(fixture.executions.get()).isZero();
        assertThat(guard.runs("injected", 5).get(0).detail()).contains("all jobs are disabled");
    }

    @Test
    void aVetoedExecutionOfADisabledJobCountsOneSkippedRunInTheRunsMeter() throws Exception {
        runOnceWhileDisabled("injected-5");
        await().atMost(5, TimeUnit.SECONDS).until(() -> runsCounted("injected") > 0);
        await().during(Duration.ofMillis(500)).atMost(2, TimeUnit.SECONDS).until(() -> runsCounted("injected") == 1);

        assertThat(fixture.executions.get()).isZero();
        assertThat(registry.get(GuardMetrics.RUNS)
                        .tags("job", "injected", "outcome", "SKIPPED", "mode", "ENFORCE")
                        .counter()
                        .count())
                .isEqualTo(1);
        assertThat(guard.runs("injected", 5)).singleElement().satisfies(run -> {
            assertThat(run.outcome()).isEqualTo(RunOutcome.SKIPPED);
            assertThat(run.detail()).contains("the job is DISABLED", "DEFAULT.injected-5 vetoed");
        });
    }

    @Test
    void aVetoedExecutionSetsTheJobsDisabledGauge() throws Exception {
        runOnceWhileDisabled("injected-6");
        await().atMost(5, TimeUnit.SECONDS)
                .until(() -> guard.runs("injected", 5).stream().anyMatch(run -> run.outcome() == RunOutcome.SKIPPED));

        assertThat(registry.get(GuardMetrics.JOB_DISABLED)
                        .tag("job", "injected")
                        .gauge()
                        .value())
                .isEqualTo(1);
    }

    /** Installs the guard, disables the job "injected", starts the scheduler and fires it once under this key. */
    private void runOnceWhileDisabled(String key) throws SchedulerException {
        installed = JobGuardQuartz.install(scheduler, guard);
        guard.disable("injected", "bad data", "test");
        scheduler.start();
        runOnce(JobKey.jobKey(key), InjectedJob.class);
    }

    /** Runs of the job in {@code jobguard.runs}, over every outcome and mode. */
    private double runsCounted(String job) {
        return registry.find(GuardMetrics.RUNS).tag("job", job).counters().stream()
                .mapToDouble(Counter::count)
                .sum();
    }
}
