package dev.jobguard.quartz;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import org.junit.jupiter.api.Test;
import org.quartz.JobBuilder;
import org.quartz.JobDetail;

class QuartzPoliciesTest {

    private static JobDetail detail(Class<? extends org.quartz.Job> type, Object... keysAndValues) {
        JobBuilder builder = JobBuilder.newJob(type).withIdentity("name", "group");
        for (int i = 0; i < keysAndValues.length; i += 2) {
            builder.usingJobData((String) keysAndValues[i], String.valueOf(keysAndValues[i + 1]));
        }
        return builder.build();
    }

    @Test
    void anUnannotatedJobWithoutKeysIsNotGuarded() {
        JobDetail job = detail(TestJobs.ProbeJob.class);
        assertThat(QuartzPolicies.isGuarded(job, job.getJobDataMap())).isFalse();
    }

    @Test
    void theAnnotationGuardsAndTheNameDefaultsToTheJobKey() {
        JobDetail job = detail(TestJobs.CancelInvoicesJob.class);
        assertThat(QuartzPolicies.isGuarded(job, job.getJobDataMap())).isTrue();
        GuardPolicy policy = QuartzPolicies.resolve(job, job.getJobDataMap());
        assertThat(policy.jobName()).isEqualTo("group.name");
        assertThat(policy.maxRowsChanged()).hasValue(5);
    }

    @Test
    void keysGuardAndOverride() {
        JobDetail job = detail(
                TestJobs.CancelInvoicesJob.class,
                JobGuardQuartz.KEY_NAME,
                "billing-cancel",
                JobGuardQuartz.KEY_MODE,
                "dry-run",
                JobGuardQuartz.KEY_MAX_ROWS_CHANGED,
                50,
                JobGuardQuartz.KEY_MAX_ROWS_PER_STATEMENT,
                7,
                JobGuardQuartz.KEY_TABLE_PREFIX + "invoices",
                20,
                JobGuardQuartz.KEY_ATOMIC,
                "true",
                JobGuardQuartz.KEY_MAX_DURATION,
                "PT5M");
        GuardPolicy policy = QuartzPolicies.resolve(job, job.getJobDataMap());
        assertThat(policy.jobName()).isEqualTo("billing-cancel");
        assertThat(policy.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(policy.maxRowsChanged()).hasValue(50);
        assertThat(policy.maxRowsPerStatement()).hasValue(7);
        assertThat(policy.tableLimits()).containsEntry("invoices", 20L);
        assertThat(policy.atomic()).isTrue();
        assertThat(policy.maxDuration()).hasValue(java.time.Duration.ofMinutes(5));
    }

    @Test
    void everySettingOfTheAnnotationHasAJobDataMapKey() {
        for (java.lang.reflect.Method attribute : dev.jobguard.annotation.GuardedJob.class.getDeclaredMethods()) {
            String name = attribute.getName();
            if (name.equals("tables")) {
                assertThat(JobGuardQuartz.KEY_TABLE_PREFIX).isEqualTo("jobguard.table.");
                continue;
            }
            assertThat(QuartzPolicies.KEYS)
                    .as("@GuardedJob.%s has no Quartz JobDataMap key", name)
                    .contains("jobguard." + name);
        }
    }

    @Test
    void settingsThatConflictNameTheJobDataMapNotSpringProperties() {
        JobDetail job = detail(TestJobs.CancelInvoicesJob.class, JobGuardQuartz.KEY_TRIP_ON_MAX_DURATION, "true");

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> QuartzPolicies.resolve(job, job.getJobDataMap()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tripOnMaxDuration is set without maxDuration")
                .hasMessageContaining("the jobguard.* keys of its JobDataMap")
                .hasMessageNotContaining("jobguard.jobs.");
    }

    @Test
    void everySettingOfTheListIsAKeyThatChangesThePolicy() {
        for (dev.jobguard.config.PolicySetting setting : dev.jobguard.config.PolicySetting.values()) {
            // a setting that only applies beside another: that one is set on both sides of the comparison
            Object[] companion = switch (setting) {
                case TRIP_ON_MAX_DURATION -> new Object[] {JobGuardQuartz.KEY_MAX_DURATION, "PT1H"};
                case TRIP_ON_JOURNAL_GAP, AUTO_REVERT -> new Object[] {JobGuardQuartz.KEY_JOURNAL, "true"};
                default -> new Object[0];
            };
            JobDetail plain = detail(TestJobs.CancelInvoicesJob.class, companion);
            GuardPolicy before = QuartzPolicies.resolve(plain, plain.getJobDataMap());
            String key = setting.quartzKey().replace("<table>", "invoices");
            Object[] keys = java.util.Arrays.copyOf(companion, companion.length + 2);
            keys[companion.length] = key;
            keys[companion.length + 1] = sampleOtherThanDefault(setting);
            JobDetail job = detail(TestJobs.CancelInvoicesJob.class, keys);
            GuardPolicy after = QuartzPolicies.resolve(job, job.getJobDataMap());
            assertThat(after).as("Quartz key %s changes the policy", key).isNotEqualTo(before);
        }
        assertThat(QuartzPolicies.KEYS)
                .as("the adapter accepts no key that is not a setting or its own")
                .allMatch(key -> key.equals(JobGuardQuartz.KEY_GUARDED)
                        || key.equals(JobGuardQuartz.KEY_NAME)
                        || key.equals(JobGuardQuartz.KEY_PAUSED_BY_GUARD)
                        || java.util.Arrays.stream(dev.jobguard.config.PolicySetting.values())
                                .anyMatch(setting -> setting.quartzKey().equals(key)));
    }

    /** A value of the setting's type that none of the test job's annotation or the defaults has. */
    private static Object sampleOtherThanDefault(dev.jobguard.config.PolicySetting setting) {
        Class<?> type = setting.type();
        if (type == Boolean.class) {
            Object current =
                    setting == dev.jobguard.config.PolicySetting.ANOMALY ? Boolean.TRUE : setting.defaultValue();
            return String.valueOf(!Boolean.TRUE.equals(current));
        }
        if (type == java.time.Duration.class) {
            return "PT7M";
        }
        if (type == dev.jobguard.GuardMode.class) {
            return "observe";
        }
        if (type == Double.class) {
            return "3.5";
        }
        return "7"; // Long, Integer and a table's limit
    }

    @Test
    void theJournalAnomalyAndLockKeysOverrideTheAnnotation() {
        JobDetail job = detail(
                TestJobs.CancelInvoicesJob.class,
                JobGuardQuartz.KEY_JOURNAL,
                "true",
                JobGuardQuartz.KEY_TRIP_ON_JOURNAL_GAP,
                "true",
                JobGuardQuartz.KEY_AUTO_REVERT,
                "true",
                JobGuardQuartz.KEY_TRIP_ON_UNKNOWN_ROW_COUNT,
                "true",
                JobGuardQuartz.KEY_MAX_DURATION,
                "PT5M",
                JobGuardQuartz.KEY_TRIP_ON_MAX_DURATION,
                "true",
                JobGuardQuartz.KEY_LOCK_AT_MOST_FOR,
                "PT20M",
                JobGuardQuartz.KEY_ANOMALY_FACTOR,
                "2.5",
                JobGuardQuartz.KEY_ANOMALY_MIN_ROWS,
                40,
                JobGuardQuartz.KEY_ANOMALY_HISTORY,
                12,
                JobGuardQuartz.KEY_ANOMALY_MIN_RUNS,
                3);
        GuardPolicy policy = QuartzPolicies.resolve(job, job.getJobDataMap());
        assertThat(policy.journal()).isTrue();
        assertThat(policy.tripOnJournalGap()).isTrue();
        assertThat(policy.autoRevert()).isTrue();
        assertThat(policy.tripOnUnknownRowCount()).isTrue();
        assertThat(policy.tripOnMaxDuration()).isTrue();
        assertThat(policy.lockAtMostFor()).isEqualTo(java.time.Duration.ofMinutes(20));
        assertThat(policy.anomaly().factor()).isEqualTo(2.5);
        assertThat(policy.anomaly().minRows()).isEqualTo(40);
        assertThat(policy.anomaly().history()).isEqualTo(12);
        assertThat(policy.anomaly().minRuns()).isEqualTo(3);

        JobDetail off = detail(TestJobs.CancelInvoicesJob.class, JobGuardQuartz.KEY_ANOMALY, "false");
        assertThat(QuartzPolicies.resolve(off, off.getJobDataMap()).anomaly().enabled())
                .isFalse();
        JobDetail badFactor = detail(TestJobs.CancelInvoicesJob.class, JobGuardQuartz.KEY_ANOMALY_FACTOR, "lots");
        assertThatThrownBy(() -> QuartzPolicies.resolve(badFactor, badFactor.getJobDataMap()))
                .hasMessageContaining("jobguard.anomalyFactor")
                .hasMessageContaining("a positive number");
        JobDetail badLock = detail(TestJobs.CancelInvoicesJob.class, JobGuardQuartz.KEY_LOCK_AT_MOST_FOR, "20m");
        assertThatThrownBy(() -> QuartzPolicies.resolve(badLock, badLock.getJobDataMap()))
                .hasMessageContaining("jobguard.lockAtMostFor")
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void invalidValuesNameTheKey() {
        JobDetail job =
                detail(TestJobs.ProbeJob.class, JobGuardQuartz.KEY_GUARDED, "true", JobGuardQuartz.KEY_ATOMIC, "yes");
        assertThat(QuartzPolicies.isGuarded(job, job.getJobDataMap())).isTrue();
        assertThatThrownBy(() -> QuartzPolicies.resolve(job, job.getJobDataMap()))
                .hasMessageContaining("jobguard.atomic")
                .hasMessageContaining("true or false");
        JobDetail badMode = detail(TestJobs.ProbeJob.class, JobGuardQuartz.KEY_MODE, "loud");
        assertThatThrownBy(() -> QuartzPolicies.resolve(badMode, badMode.getJobDataMap()))
                .hasMessageContaining("mode");
    }

    @Test
    void anUnknownKeyFailsTheExecutionNamingTheKeyAndTheKnownOnes() {
        JobDetail typo = detail(TestJobs.CancelInvoicesJob.class, "jobguard.maxRowChanged", 10);
        assertThatThrownBy(() -> QuartzPolicies.resolve(typo, typo.getJobDataMap()))
                .hasMessageContaining("Quartz job 'group.name'")
                .hasMessageContaining("jobguard.maxRowChanged='10'")
                .hasMessageContaining("jobguard.maxRowsChanged")
                .hasMessageContaining("jobguard.table.<table>");
        // a key spelt as a Spring property is not a JobDataMap key: refused rather than ignored
        JobDetail kebab = detail(TestJobs.CancelInvoicesJob.class, "jobguard.auto-revert", "true");
        assertThatThrownBy(() -> QuartzPolicies.resolve(kebab, kebab.getJobDataMap()))
                .hasMessageContaining("jobguard.auto-revert='true'")
                .hasMessageContaining("not a jobguard key");
        JobDetail noTable = detail(TestJobs.CancelInvoicesJob.class, JobGuardQuartz.KEY_TABLE_PREFIX, 10);
        assertThatThrownBy(() -> QuartzPolicies.resolve(noTable, noTable.getJobDataMap()))
                .hasMessageContaining("jobguard.table.='10'")
                .hasMessageContaining("a table name after the prefix");
    }

    @Test
    void settingsWithoutTheGuardedKeyGuardTheJobAndAnInvalidGuardedValueIsRefused() {
        JobDetail limited = detail(TestJobs.ProbeJob.class, JobGuardQuartz.KEY_MAX_ROWS_CHANGED, 10);
        assertThat(QuartzPolicies.isGuarded(limited, limited.getJobDataMap())).isTrue();
        assertThat(QuartzPolicies.resolve(limited, limited.getJobDataMap()).maxRowsChanged())
                .hasValue(10);

        JobDetail yes = detail(TestJobs.ProbeJob.class, JobGuardQuartz.KEY_GUARDED, "yes");
        assertThat(QuartzPolicies.isGuarded(yes, yes.getJobDataMap())).isTrue();
        assertThatThrownBy(() -> QuartzPolicies.resolve(yes, yes.getJobDataMap()))
                .hasMessageContaining("jobguard.guarded='yes'")
                .hasMessageContaining("true or false");

        JobDetail optedOut = detail(
                TestJobs.ProbeJob.class, JobGuardQuartz.KEY_GUARDED, "false", JobGuardQuartz.KEY_MAX_ROWS_CHANGED, 10);
        assertThat(QuartzPolicies.isGuarded(optedOut, optedOut.getJobDataMap())).isFalse();
    }

    @Test
    void invalidValuesNameTheJobDataMapKeyNotASpringProperty() {
        assertRefused(JobGuardQuartz.KEY_MODE, "loud", "enforce, observe or dry-run");
        assertRefused(JobGuardQuartz.KEY_MAX_ROWS_CHANGED, "-5", "a whole number >= 0");
        assertRefused(JobGuardQuartz.KEY_MAX_ROWS_PER_STATEMENT, "-1", "a whole number >= 0");
        assertRefused(JobGuardQuartz.KEY_TABLE_PREFIX + "invoices", "-1", "a whole number >= 0");
        assertRefused(JobGuardQuartz.KEY_TABLE_PREFIX + "invoices", " ", "a whole number >= 0");
        assertRefused(JobGuardQuartz.KEY_MAX_CONSECUTIVE_FAILURES, "-2", "a whole number >= 0");
        assertRefused(JobGuardQuartz.KEY_MAX_CONSECUTIVE_FAILURES, "99999999999", "a number up to");
        assertRefused(JobGuardQuartz.KEY_MAX_DURATION, "PT-5M", "a positive ISO-8601 duration");
    }

    private static void assertRefused(String key, String value, String fix) {
        JobDetail job = detail(TestJobs.CancelInvoicesJob.class, key, value);
        assertThatThrownBy(() -> QuartzPolicies.resolve(job, job.getJobDataMap()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Quartz job 'group.name'")
                .hasMessageContaining("invalid JobDataMap value " + key + "='" + value + "'")
                .hasMessageContaining(fix)
                .hasMessageNotContaining("jobguard.jobs.");
    }
}
