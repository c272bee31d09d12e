package dev.jobguard.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobguard.GuardMode;
import dev.jobguard.GuardPolicy;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PolicyOverridesTest {

    private final GuardPolicy annotated = GuardPolicy.builder("cancel-overdue-invoices")
            .maxRowsChanged(500)
            .tableLimit("invoices", 200)
            .build();

    @Test
    void configuredSettingsOverrideTheAnnotationAndTheRestIsKept() {
        JobProperties properties = new JobProperties();
        properties.setMode("dry-run");
        properties.setMaxRowsChanged(1000L);
        properties.getTables().put("INVOICES", 300L);
        properties.getTables().put("audit_log", 50L);
        properties.getAnomaly().setFactor(5.0);
        properties.setMaxDuration(Duration.ofMinutes(10));

        GuardPolicy policy = PolicyOverrides.apply(annotated, properties);

        assertThat(policy.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(policy.maxRowsChanged()).hasValue(1000);
        assertThat(policy.tableLimits()).containsEntry("invoices", 300L).containsEntry("audit_log", 50L);
        assertThat(policy.anomaly().factor()).isEqualTo(5.0);
        assertThat(policy.anomaly().minRows()).isEqualTo(50);
        assertThat(policy.maxDuration()).hasValue(Duration.ofMinutes(10));
        assertThat(policy.jobName()).isEqualTo("cancel-overdue-invoices");
    }

    @Test
    void nothingConfiguredLeavesThePolicyAsItIs() {
        assertThat(PolicyOverrides.apply(annotated, new JobProperties())).isEqualTo(annotated);
        assertThat(PolicyOverrides.apply(annotated, null)).isSameAs(annotated);
    }

    @Test
    void everyModeSpellingIsRead() {
        assertThat(PolicyOverrides.parseMode("j", "OBSERVE")).isEqualTo(GuardMode.OBSERVE);
        assertThat(PolicyOverrides.parseMode("j", "dry_run")).isEqualTo(GuardMode.DRY_RUN);
        assertThat(PolicyOverrides.parseMode("j", " enforce ")).isEqualTo(GuardMode.ENFORCE);
    }

    @Test
    void anUnknownModeNamesTheJobThePropertyAndTheChoices() {
        JobProperties properties = new JobProperties();
        properties.setMode("dryrun");

        assertThatThrownBy(() -> PolicyOverrides.apply(annotated, properties))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("jobguard.jobs.cancel-overdue-invoices.mode")
                .hasMessageContaining("'dryrun'")
                .hasMessageContaining("enforce, observe or dry-run");
    }

    @Test
    void aNegativeLimitNamesTheProperty() {
        JobProperties properties = new JobProperties();
        properties.getTables().put("invoices", -1L);

        assertThatThrownBy(() -> PolicyOverrides.apply(annotated, properties))
                .hasMessageContaining("jobguard.jobs.cancel-overdue-invoices.tables.invoices");
    }

    @Test
    void anInvalidAnomalySettingNamesTheProperty() {
        JobProperties properties = new JobProperties();
        properties.getAnomaly().setFactor(0.1);

        assertThatThrownBy(() -> PolicyOverrides.apply(annotated, properties))
                .hasMessageContaining("jobguard.jobs.cancel-overdue-invoices.anomaly.factor");
    }

    @Test
    void otherInvalidValuesNameTheirPropertyInTheMessageWithoutACause() {
        JobProperties failures = new JobProperties();
        failures.setMaxConsecutiveFailures(-2);
        JobProperties duration = new JobProperties();
        duration.setMaxDuration(Duration.ofMinutes(-5));
        JobProperties lock = new JobProperties();
        lock.setLockAtMostFor(Duration.ZERO);

        // the message itself names the property (a failed start shows the innermost cause last)
        assertThatThrownBy(() -> PolicyOverrides.apply(annotated, failures))
                .hasMessageContaining("job 'cancel-overdue-invoices'")
                .hasMessageContaining("jobguard.jobs.cancel-overdue-invoices.max-consecutive-failures (-2)")
                .hasMessageContaining("use a number >= 0")
                .hasNoCause();
        assertThatThrownBy(() -> PolicyOverrides.apply(annotated, duration))
                .hasMessageContaining("jobguard.jobs.cancel-overdue-invoices.max-duration (PT-5M)")
                .hasMessageContaining("use a positive duration")
                .hasNoCause();
        assertThatThrownBy(() -> PolicyOverrides.apply(annotated, lock))
                .hasMessageContaining("jobguard.jobs.cancel-overdue-invoices.lock-at-most-for (PT0S)")
                .hasMessageContaining("use a positive duration")
                .hasNoCause();
    }

    @Test
    void journalSettingsAreReadFromProperties() {
        JobProperties properties = new JobProperties();
        properties.setJournal(true);
        properties.setTripOnJournalGap(true);
        properties.setAutoRevert(true);

        GuardPolicy policy = PolicyOverrides.apply(annotated, properties);

        assertThat(policy.journal()).isTrue();
        assertThat(policy.tripOnJournalGap()).isTrue();
        assertThat(policy.autoRevert()).isTrue();
    }

    @Test
    void autoRevertWithoutTheJournalNamesTheJobsProperties() {
        JobProperties properties = new JobProperties();
        properties.setAutoRevert(true);

        assertThatThrownBy(() -> PolicyOverrides.apply(annotated, properties))
                .hasMessageContaining("cancel-overdue-invoices")
                .hasMessageContaining("autoRevert")
                .hasMessageContaining("jobguard.jobs.cancel-overdue-invoices")
                .hasNoCause();
    }
}
