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
}
