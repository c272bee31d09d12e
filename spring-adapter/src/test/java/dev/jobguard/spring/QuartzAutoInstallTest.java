package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.quartz.JobGuardQuartz;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.quartz.Job;
import org.quartz.JobBuilder;
import org.quartz.JobExecutionContext;
import org.quartz.JobExecutionException;
import org.quartz.JobKey;
import org.quartz.Scheduler;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

/** With Boot's Quartz auto-configuration, the adapter is installed on its scheduler and its jobs stay autowired. */
class QuartzAutoInstallTest {

    static final AtomicReference<DataSource> injected = new AtomicReference<>();

    /** A Quartz job built by Boot's SpringBeanJobFactory: its fields are autowired. */
    @GuardedJob(name = "quartz-cancel-all", maxRowsChanged = 5)
    public static class CancelAll implements Job {
        @Autowired
        DataSource dataSource;

        @Override
        public void execute(JobExecutionContext context) throws JobExecutionException {
            injected.set(dataSource);
            new JdbcTemplate(dataSource).update("UPDATE quartz_auto SET v = 1");
        }
    }

    private static AutoConfigurations configurations() throws ClassNotFoundException {
        String boot4 = "org.springframework.boot.quartz.autoconfigure.QuartzAutoConfiguration";
        String boot3 = "org.springframework.boot.autoconfigure.quartz.QuartzAutoConfiguration";
        Class<?> quartz;
        try {
            quartz = Class.forName(boot4);
        } catch (ClassNotFoundException onBoot3) {
            quartz = Class.forName(boot3);
        }
        return AutoConfigurations.of(quartz, JobGuardAutoConfiguration.class, JobGuardQuartzAutoConfiguration.class);
    }

    @Test
    void theAdapterIsInstalledOnBootsSchedulerAndAutowiringStillWorks() throws Exception {
        new ApplicationContextRunner()
                .withConfiguration(configurations())
                .withUserConfiguration(H2Jobs.DataSourceConfig.class)
                .run(context -> {
                    assertThat(context).hasSingleBean(JobGuardQuartz.class);
                    DataSource dataSource = context.getBean(DataSource.class);
                    JdbcTemplate jdbc = new JdbcTemplate(dataSource);
                    jdbc.execute("CREATE TABLE quartz_auto (id INT PRIMARY KEY, v INT)");
                    for (int id = 1; id <= 10; id++) {
                        jdbc.update("INSERT INTO quartz_auto (id, v) VALUES (?, 0)", id);
                    }
                    Scheduler scheduler = context.getBean(Scheduler.class);
                    scheduler.addJob(
                            JobBuilder.newJob(CancelAll.class)
                                    .withIdentity("cancel-all", "billing")
                                    .storeDurably()
                                    .build(),
                            false);
                    scheduler.triggerJob(JobKey.jobKey("cancel-all", "billing"));
                    JobGuard guard = context.getBean(JobGuard.class);

                    await().atMost(Duration.ofSeconds(20))
                            .until(() -> guard.state("quartz-cancel-all").job().isDisabled());

                    assertThat(injected.get())
                            .as("autowired by Boot's job factory")
                            .isNotNull();
                    assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM quartz_auto WHERE v = 1", Long.class))
                            .isZero();
                    assertThat(guard.runs("quartz-cancel-all", 5))
                            .extracting(run -> run.outcome())
                            .contains(RunOutcome.TRIPPED);
                });
    }

    @Test
    void jobguardQuartzEnabledFalseLeavesTheSchedulerAlone() throws Exception {
        new ApplicationContextRunner()
                .withConfiguration(configurations())
                .withUserConfiguration(H2Jobs.DataSourceConfig.class)
                .withPropertyValues("jobguard.quartz.enabled=false")
                .run(context -> assertThat(context).doesNotHaveBean(JobGuardQuartz.class));
    }
}
