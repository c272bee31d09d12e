package dev.jobguard.spring;

import static dev.jobguard.spring.JobGuardAutoConfigurationTest.cause;
import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardPolicy;
import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.StateStore;
import java.time.Duration;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/** Bad and conflicting {@code jobguard.*} properties: each fails the start naming the job, the property and the fix. */
@ExtendWith(OutputCaptureExtension.class)
class JobPropertiesValidationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(JobGuardAutoConfiguration.class))
            .withUserConfiguration(JournalJobConfig.class);

    @Test
    void aPropertyThatNeedsAnAnnotationSettingIsAcceptedWhenTheAnnotationHasIt() {
        runner.withPropertyValues(
                        "jobguard.jobs.journal-job.trip-on-journal-gap=true",
                        "jobguard.jobs.journal-job.auto-revert=true",
                        "jobguard.jobs.journal-job.trip-on-max-duration=true",
                        "jobguard.jobs.journal-job.anomaly.history=3")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    GuardPolicy policy = policy(context);
                    assertThat(policy.tripOnJournalGap()).isTrue();
                    assertThat(policy.autoRevert()).isTrue();
                    assertThat(policy.tripOnMaxDuration()).isTrue();
                    assertThat(policy.anomaly().history()).isEqualTo(3);
                });
    }

    @Test
    void aPropertyThatConflictsWithTheAnnotationOrAnotherPropertyStillFailsTheStart() {
        runner.withPropertyValues("jobguard.jobs.journal-job.journal=false")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("job 'journal-job'")
                        .hasMessageContaining("tripOnJournalGap is set without journal")
                        .hasMessageContaining("jobguard.jobs.journal-job")
                        .hasMessageContaining("JournalJob.run()"));
        runner.withPropertyValues("jobguard.jobs.other-job.journal=false", "jobguard.jobs.other-job.auto-revert=true")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("job 'other-job'")
                        .hasMessageContaining("autoRevert is set without journal")
                        .hasMessageContaining("jobguard.jobs.other-job"));
        runner.withPropertyValues(
                        "jobguard.jobs.other-job.anomaly.history=3", "jobguard.jobs.other-job.anomaly.min-runs=4")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("jobguard.jobs.other-job.anomaly.min-runs (4 > anomaly.history 3)"));
    }

    @Test
    void aMisspeltKeyOfAJobFailsTheStartInsteadOfLeavingTheJobWithoutItsLimit() {
        runner.withPropertyValues("jobguard.jobs.journal-job.max-row-changed=5000")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("job 'journal-job'")
                        .hasMessageContaining("jobguard.jobs.journal-job.max-row-changed")
                        .hasMessageContaining("is not a jobguard property")
                        .hasMessageContaining("max-rows-changed, max-rows-per-statement, tables.<table>"));
        runner.withPropertyValues("jobguard.jobs.journal-job.anomaly.facter=3")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("jobguard.jobs.journal-job.anomaly.facter")
                        .hasMessageContaining("anomaly.factor"));
    }

    @Test
    void aKeyWithoutAValueFailsTheStart() {
        runner.withPropertyValues("jobguard.jobs.journal-job.tables.invoices=")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("job 'journal-job'")
                        .hasMessageContaining("jobguard.jobs.journal-job.tables.invoices")
                        .hasMessageContaining("has no value"));
        runner.withPropertyValues("jobguard.jobs.journal-job.max-rows-changed=")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("jobguard.jobs.journal-job.max-rows-changed has no value"));
    }

    @Test
    void aJobNameWithDotsNeedsBrackets() {
        runner.withPropertyValues("jobguard.jobs.nightly.purge.mode=observe")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("jobguard.jobs.nightly.purge.mode")
                        .hasMessageContaining("jobguard.jobs[my.job].mode"));
        runner.withPropertyValues("jobguard.jobs[nightly.purge].mode=observe")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void aMisspeltTopLevelKeyFailsTheStartAndTheDocumentedOnesBind() {
        runner.withPropertyValues("jobguard.enabeld=false")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("jobguard.enabeld")
                        .hasMessageContaining("is not a jobguard property"));
        runner.withPropertyValues(
                        "jobguard.enabled=true",
                        "jobguard.node-name=n1",
                        "jobguard.advisor-order=5",
                        "jobguard.use-lock-provider=false",
                        "jobguard.quartz.enabled=false",
                        "jobguard.datasource.wrap=true",
                        "jobguard.datasource.exclude=other",
                        "jobguard.state-store.table-prefix=jg_",
                        "jobguard.state-store.auto-create-tables=true",
                        "jobguard.health.disabled-status=UP",
                        "jobguard.journal.exclude-columns=users.password_hash",
                        "jobguard.jobs.journal-job.maxRowsChanged=5")
                .run(context -> assertThat(context).hasNotFailed());
    }

    @Test
    void anUnknownTopLevelKeyFromTheSystemPropertiesOrTheEnvironmentIsWarnedOfOnce(CapturedOutput output) {
        runner.withSystemProperties("jobguard.version=0.1.0-SNAPSHOT", "jobguard.extra.thing=1")
                .withInitializer(context -> context.getEnvironment()
                        .getPropertySources()
                        .addLast(new SystemEnvironmentPropertySource(
                                "test-systemEnvironment", Map.of("JOBGUARD_BUILD_NUMBER", "7"))))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output.getOut().lines().filter(line -> line.contains("jobguard: ignoring")))
                            .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                            .contains("jobguard.version")
                            .contains("jobguard.extra.thing")
                            .contains("jobguard.build.number")
                            .contains("not jobguard properties");
                });
    }

    @Test
    void aMisspeltKeyUnderAKnownGroupFromTheSystemPropertiesStillFailsTheStart() {
        runner.withSystemProperties("jobguard.jobs.journal-job.max-row-changed=5000")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("jobguard.jobs.journal-job.max-row-changed")
                        .hasMessageContaining("is not a jobguard property"));
        runner.withSystemProperties("jobguard.health.disabled-statuss=DOWN")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("jobguard.health.disabled-statuss")
                        .hasMessageContaining("is not a jobguard property"));
    }

    @Test
    void environmentVariablesOfTheCliAreNotTakenForMisspeltProperties(CapturedOutput output) {
        runner.withInitializer(context -> context.getEnvironment()
                        .getPropertySources()
                        .addFirst(new SystemEnvironmentPropertySource(
                                "test-systemEnvironment",
                                Map.of(
                                        "JOBGUARD_JDBC_URL", "jdbc:h2:mem:x",
                                        "JOBGUARD_USER", "sa",
                                        "JOBGUARD_TABLE_PREFIX", "jg_"))))
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(output.getOut())
                            .doesNotContain("jobguard.jdbc.url")
                            .doesNotContain("jobguard.user")
                            .doesNotContain("jobguard.table.prefix");
                });
    }

    @Test
    void anExcludedDataSourceNameThatMatchesNoBeanIsWarnedOf(CapturedOutput output) {
        runner.withUserConfiguration(H2Jobs.DataSourceConfig.class)
                .withPropertyValues("jobguard.datasource.exclude=dataSorce")
                .run(context -> {
                    assertThat(context).hasNotFailed();
                    assertThat(context.getBean(DataSource.class)).isInstanceOf(GuardedDataSource.class);
                });
        assertThat(output)
                .contains("jobguard.datasource.exclude names [dataSorce], but no DataSource bean of that name");
    }

    @Test
    void datasourceWrapIsReadAsTheBinderReadsIt() {
        runner.withUserConfiguration(H2Jobs.DataSourceConfig.class)
                .withPropertyValues("jobguard.datasource.wrap=yes")
                .run(context -> assertThat(context.getBean(DataSource.class)).isInstanceOf(GuardedDataSource.class));
        runner.withUserConfiguration(H2Jobs.DataSourceConfig.class)
                .withPropertyValues("jobguard.datasource.wrap=off")
                .run(context -> assertThat(context.getBean(DataSource.class)).isNotInstanceOf(GuardedDataSource.class));
    }

    @Test
    void anInvalidTablePrefixNamesTheProperty() {
        runner.withUserConfiguration(H2Jobs.DataSourceConfig.class)
                .withPropertyValues("jobguard.state-store.table-prefix=job-guard")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("jobguard.state-store.table-prefix ('job-guard')")
                        .hasMessageContaining("use letters, digits and underscores"));
    }

    @Test
    void theStateStoresQueryTimeoutIsSetByItsPropertyAndAnInvalidOneNamesIt() {
        runner.withUserConfiguration(H2Jobs.DataSourceConfig.class)
                .withPropertyValues("jobguard.state-store.query-timeout=5s")
                .run(context -> assertThat(((JdbcStateStore) context.getBean(StateStore.class)).queryTimeout())
                        .isEqualTo(Duration.ofSeconds(5)));
        runner.withUserConfiguration(H2Jobs.DataSourceConfig.class)
                .withPropertyValues("jobguard.state-store.query-timeout=-5s")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("jobguard.state-store.query-timeout ('PT-5S')")
                        .hasMessageContaining("e.g. 30s"));
    }

    @Test
    void retentionPropertiesPurgeWhatIsOlderAndZeroKeepsEverythingAndTooShortANameTheProperty() {
        runner.withUserConfiguration(H2Jobs.DataSourceConfig.class)
                .withPropertyValues("jobguard.state-store.retention=2h", "jobguard.journal.retention=0")
                .run(context -> {
                    StateStore store = context.getBean(StateStore.class);
                    java.time.Instant now = java.time.Instant.now();
                    store.runEnded(ended("old-run", now.minus(Duration.ofHours(3))));
                    store.runEnded(ended("recent-run", now.minus(Duration.ofHours(1))));

                    context.getBean(dev.jobguard.JobGuard.class).purgeExpired();

                    assertThat(store.run("old-run")).isEmpty();
                    assertThat(store.run("recent-run")).isPresent();
                });
        runner.withUserConfiguration(H2Jobs.DataSourceConfig.class)
                .withPropertyValues("jobguard.state-store.retention=0")
                .run(context -> {
                    StateStore store = context.getBean(StateStore.class);
                    store.runEnded(ended("ancient-run", java.time.Instant.now().minus(Duration.ofDays(400))));

                    context.getBean(dev.jobguard.JobGuard.class).purgeExpired();

                    assertThat(store.run("ancient-run")).isPresent();
                });
        runner.withUserConfiguration(H2Jobs.DataSourceConfig.class)
                .withPropertyValues("jobguard.journal.retention=10m")
                .run(context -> assertThat(cause(context))
                        .hasMessageContaining("jobguard.journal.retention=PT10M")
                        .hasMessageContaining("at least an hour"));
    }

    private static dev.jobguard.state.RunRecord ended(String runId, java.time.Instant startedAt) {
        return new dev.jobguard.state.RunRecord(
                runId,
                "retention-job",
                "n1",
                dev.jobguard.GuardMode.ENFORCE,
                startedAt,
                startedAt.plusSeconds(1),
                dev.jobguard.RunOutcome.SUCCEEDED,
                null,
                null,
                0,
                false,
                java.util.Map.of());
    }

    private static GuardPolicy policy(org.springframework.context.ApplicationContext context) throws Exception {
        return context.getBean(PolicyResolver.class).resolve(JournalJob.class.getMethod("run"), JournalJob.class);
    }

    @Configuration(proxyBeanMethods = false)
    static class JournalJobConfig {
        @Bean
        JournalJob journalJob() {
            return new JournalJob();
        }
    }

    public static class JournalJob {
        @GuardedJob(
                name = "journal-job",
                journal = true,
                tripOnJournalGap = true,
                maxDuration = "PT1M",
                anomalyHistory = 5,
                anomalyMinRuns = 2)
        public void run() {}
    }
}
