package dev.jobguard.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.RunRecord;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.quartz.SimpleScheduleBuilder;
import org.quartz.Trigger;
import org.quartz.TriggerBuilder;
import org.quartz.TriggerKey;
import org.quartz.impl.StdSchedulerFactory;
import org.quartz.utils.ConnectionProvider;
import org.quartz.utils.DBConnectionManager;

/**
 * Two clustered Quartz schedulers (JobStoreTX, same instanceName, different instance ids, separate pools) in one JVM,
 * each with its own JobGuard on a shared JdbcStateStore. Quartz writes its tables through the GuardedDataSource, as
 * with Spring's {@code SchedulerFactoryBean.setDataSource}.
 */
abstract class AbstractClusteredQuartzTest {

    private final TestDatabases database;
    private final String prefix = "QRTZ_JG" + TestDatabases.unique().toUpperCase() + "_";
    private final String instanceName = "jg-cluster-" + TestDatabases.unique();
    private final List<HikariDataSource> pools = new ArrayList<>();
    private final List<Scheduler> schedulers = new ArrayList<>();
    private final List<JobGuard> guards = new ArrayList<>();
    private final List<JobGuardQuartz> installs = new ArrayList<>();
    private HikariDataSource pool;
    private TestJobs.Fixture fixture;

    AbstractClusteredQuartzTest(TestDatabases database) {
        this.database = database;
    }

    @BeforeEach
    void setUp() throws Exception {
        pool = database.pool("jg-quartz-test", 4);
        database.createQuartzTables(pool, prefix);
        fixture = new TestJobs.Fixture(GuardedDataSource.wrap(pool), "quartz_invoices_" + TestDatabases.unique());
        fixture.createInvoices();
        for (String node : List.of("node-a", "node-b")) {
            JobGuard guard = JobGuard.builder()
                    .stateStore(JdbcStateStore.create(pool))
                    .nodeName(node)
                    .build();
            guards.add(guard);
            Scheduler scheduler = scheduler(node);
            schedulers.add(scheduler);
            installs.add(JobGuardQuartz.builder(guard)
                    .resumeInterval(Duration.ofMillis(500))
                    .install(scheduler));
        }
    }

    @AfterEach
    void tearDown() throws Exception {
        for (Scheduler scheduler : schedulers) {
            scheduler.shutdown(true);
        }
        installs.forEach(JobGuardQuartz::close);
        guards.forEach(JobGuard::close);
        pools.forEach(HikariDataSource::close);
        if (pool != null) {
            if (fixture != null) {
                fixture.dropInvoices();
                fixture.close();
            }
            database.dropQuartzTables(pool, prefix);
            pool.close();
        }
    }

    private Scheduler scheduler(String node) throws Exception {
        HikariDataSource quartzPool = database.pool("jg-quartz-" + node, 4);
        pools.add(quartzPool);
        DataSource guarded = GuardedDataSource.wrap(quartzPool);
        String dataSourceName = "jg-" + node + "-" + TestDatabases.unique();
        DBConnectionManager.getInstance().addConnectionProvider(dataSourceName, new ConnectionProvider() {
            @Override
            public Connection getConnection() throws SQLException {
                return guarded.getConnection();
            }

            @Override
            public void shutdown() {}

            @Override
            public void initialize() {}
        });
        Properties properties = new Properties();
        properties.setProperty("org.quartz.scheduler.instanceName", instanceName);
        properties.setProperty("org.quartz.scheduler.instanceId", node);
        properties.setProperty("org.quartz.scheduler.skipUpdateCheck", "true");
        properties.setProperty("org.quartz.threadPool.threadCount", "2");
        properties.setProperty("org.quartz.jobStore.class", "org.quartz.impl.jdbcjobstore.JobStoreTX");
        properties.setProperty("org.quartz.jobStore.driverDelegateClass", database.delegate);
        properties.setProperty("org.quartz.jobStore.dataSource", dataSourceName);
        properties.setProperty("org.quartz.jobStore.tablePrefix", prefix);
        properties.setProperty("org.quartz.jobStore.isClustered", "true");
        properties.setProperty("org.quartz.jobStore.clusterCheckinInterval", "1000");
        properties.setProperty("org.quartz.jobStore.misfireThreshold", "1000");
        properties.setProperty("org.quartz.jobStore.acquireTriggersWithinLock", "true");
        properties.setProperty("org.quartz.scheduler.idleWaitTime", "1000");
        properties.setProperty("org.quartz.scheduler.batchTriggerAcquisitionMaxCount", "1");
        return new StdSchedulerFactory(properties).getScheduler();
    }

    @Test
    void aTripOnEitherNodeStopsTheJobOnBothAndEnablingResumesItOnBoth() throws Exception {
        String group = "cluster-" + TestDatabases.unique();
        JobKey key = JobKey.jobKey("cancel", group);
        String name = key.toString();
        TriggerKey triggerKey = TriggerKey.triggerKey("every-300ms", group);
        fixture.quartzWriteInRun = true;
        schedulers
                .get(0)
                .scheduleJob(
                        JobBuilder.newJob(TestJobs.CancelInvoicesJob.class)
                                .withIdentity(key)
                                .usingJobData(TestJobs.FIXTURE, fixture.id)
                                .build(),
                        TriggerBuilder.newTrigger()
                                .withIdentity(triggerKey)
                                .forJob(key)
                                .startNow()
                                .withSchedule(SimpleScheduleBuilder.simpleSchedule()
                                        .withIntervalInMilliseconds(300)
                                        .repeatForever()
                                        .withMisfireHandlingInstructionNextWithRemainingCount())
                                .build());
        for (Scheduler scheduler : schedulers) {
            scheduler.start();
        }

        await().atMost(20, TimeUnit.SECONDS)
                .until(() -> guards.get(1).state(name).job().isDisabled());
        for (Scheduler scheduler : schedulers) {
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> scheduler.getTriggerState(triggerKey) == Trigger.TriggerState.PAUSED);
        }
        assertThat(fixture.cancelled()).isZero();
        int executions = fixture.executions.get();
        // a second fire may start (on either node) while the slow first run is still running: it trips too
        assertThat(executions).isBetween(1, 2);
        assertThat(guards.get(0).runs(name, 10))
                .extracting(RunRecord::outcome)
                .contains(RunOutcome.TRIPPED)
                .doesNotContain(RunOutcome.SUCCEEDED);
        RunRecord tripped = guards.get(0).runs(name, 10).stream()
                .filter(run -> run.outcome() == RunOutcome.TRIPPED)
                .findFirst()
                .orElseThrow();
        // Quartz's own write inside the tripped run (through the guarded DataSource) was neither counted nor undone
        assertThat(tripped.rowsByTable().keySet())
                .noneMatch(table -> table.toLowerCase().startsWith("qrtz"));
        assertThat(schedulers.get(1).checkExists(JobKey.jobKey("marker-" + fixture.id, "jobguard-test")))
                .isTrue();

        // nothing runs on either node while it is disabled and paused
        await().during(Duration.ofSeconds(2))
                .atMost(5, TimeUnit.SECONDS)
                .until(() -> fixture.executions.get() == executions);

        // enabled from the other node's API: resumed on both, the fixed job runs again
        fixture.buggy = false;
        guards.get(1).enable(name, "fixed", "test");
        for (Scheduler scheduler : schedulers) {
            await().atMost(10, TimeUnit.SECONDS)
                    .until(() -> scheduler.getTriggerState(triggerKey) == Trigger.TriggerState.NORMAL);
        }
        await().atMost(15, TimeUnit.SECONDS)
                .until(() ->
                        guards.get(0).runs(name, 50).stream().anyMatch(run -> run.outcome() == RunOutcome.SUCCEEDED));
        assertThat(fixture.cancelled()).isEqualTo(1);
        assertThat(schedulers.get(0).getJobDetail(key).getJobDataMap().containsKey(JobGuardQuartz.KEY_PAUSED_BY_GUARD))
                .isFalse();
    }
}
