package dev.jobguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.annotation.TableLimit;
import org.junit.jupiter.api.Test;

class GuardPolicyTest {

    @Test
    void aPolicyWithNothingSetHasNoLimitsAndEnforces() {
        GuardPolicy policy = GuardPolicy.builder("nightly").build();

        assertThat(policy.jobName()).isEqualTo("nightly");
        assertThat(policy.mode()).isEqualTo(GuardMode.ENFORCE);
        assertThat(policy.maxRowsChanged()).isEmpty();
        assertThat(policy.maxRowsPerStatement()).isEmpty();
        assertThat(policy.tableLimits()).isEmpty();
        assertThat(policy.hasLimits()).isFalse();
        assertThat(policy.atomic()).isFalse();
    }

    @Test
    void tableNamesAreNormalizedForMatching() {
        GuardPolicy policy = GuardPolicy.builder("nightly")
                .tableLimit("\"Invoices\"", 200)
                .tableLimit("billing.`Payments`", 10)
                .build();

        assertThat(policy.tableLimits()).containsEntry("invoices", 200L).containsEntry("billing.payments", 10L);
    }

    @Test
    void aNegativeLimitIsRejectedWithTheJobTheSettingAndTheFix() {
        assertThatThrownBy(() -> GuardPolicy.builder("nightly").maxRowsChanged(-5))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job 'nightly'")
                .hasMessageContaining("maxRowsChanged")
                .hasMessageContaining("-5")
                .hasMessageContaining(">= 0");
        assertThatThrownBy(() -> GuardPolicy.builder("nightly").maxRowsPerStatement(-1))
                .hasMessageContaining("maxRowsPerStatement");
        assertThatThrownBy(() -> GuardPolicy.builder("nightly").tableLimit("invoices", -2))
                .hasMessageContaining("tableLimit[invoices]");
    }

    @Test
    void aTableLimitWithoutATableIsRejected() {
        assertThatThrownBy(() -> GuardPolicy.builder("nightly").tableLimit(" ", 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("job 'nightly'")
                .hasMessageContaining("without a table");
    }

    @Test
    void aTableGivenTwiceIsRejected() {
        assertThatThrownBy(() ->
                        GuardPolicy.builder("nightly").tableLimit("invoices", 1).tableLimit("INVOICES", 2))
                .hasMessageContaining("given twice");
    }

    @Test
    void aJobNeedsAName() {
        assertThatThrownBy(() -> GuardPolicy.builder(" "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a name");
        assertThatThrownBy(() -> GuardPolicy.builder("x".repeat(201))).hasMessageContaining("shorter name");
    }

    @Test
    void aNullModeIsRejected() {
        assertThatThrownBy(() -> GuardPolicy.builder("nightly").mode(null)).hasMessageContaining("mode");
    }

    @GuardedJob(
            name = "cancel-overdue-invoices",
            maxRowsChanged = 500,
            maxRowsPerStatement = 100,
            tables = @TableLimit(table = "invoices", maxRows = 200),
            mode = GuardMode.OBSERVE,
            atomic = true)
    void annotated() {}

    @GuardedJob
    void annotatedWithDefaults() {}

    @GuardedJob(name = "broken", maxRowsChanged = -7)
    void annotatedWithANegativeLimit() {}

    private static GuardedJob annotationOf(String method) throws NoSuchMethodException {
        return GuardPolicyTest.class.getDeclaredMethod(method).getAnnotation(GuardedJob.class);
    }

    @Test
    void anAnnotationBecomesTheSamePolicyAsTheBuilder() throws Exception {
        GuardPolicy fromAnnotation = GuardPolicy.from(annotationOf("annotated"), "ignored-default");

        assertThat(fromAnnotation)
                .isEqualTo(GuardPolicy.builder("cancel-overdue-invoices")
                        .maxRowsChanged(500)
                        .maxRowsPerStatement(100)
                        .tableLimit("invoices", 200)
                        .mode(GuardMode.OBSERVE)
                        .atomic(true)
                        .build());
    }

    @Test
    void anAnnotationWithoutANameTakesTheAdaptersDefaultAndNoLimits() throws Exception {
        GuardPolicy policy = GuardPolicy.from(annotationOf("annotatedWithDefaults"), "InvoiceJobs.cancel");

        assertThat(policy.jobName()).isEqualTo("InvoiceJobs.cancel");
        assertThat(policy.hasLimits()).isFalse();
        assertThat(policy.mode()).isEqualTo(GuardMode.ENFORCE);
    }

    @Test
    void anInvalidAnnotationValueNamesTheJob() throws Exception {
        GuardedJob annotation = annotationOf("annotatedWithANegativeLimit");

        assertThatThrownBy(() -> GuardPolicy.from(annotation, "x"))
                .hasMessageContaining("job 'broken'")
                .hasMessageContaining("maxRowsChanged");
    }

    @Test
    void toBuilderKeepsEverySetting() {
        GuardPolicy policy = GuardPolicy.builder("nightly")
                .maxRowsChanged(1)
                .maxRowsPerStatement(2)
                .tableLimit("t", 3)
                .mode(GuardMode.DRY_RUN)
                .atomic(true)
                .allowTruncate(true)
                .tripOnUnknownRowCount(true)
                .journal(true)
                .tripOnJournalGap(true)
                .autoRevert(true)
                .build();

        assertThat(policy.toBuilder().build()).isEqualTo(policy);
        assertThat(policy.toBuilder().build().autoRevert()).isTrue();
        assertThat(policy.toBuilder().mode(GuardMode.ENFORCE).build()).isNotEqualTo(policy);
    }

    @Test
    void journalSettingsWithoutTheJournalAreRejectedWithTheFix() {
        assertThatThrownBy(() -> GuardPolicy.builder("nightly").autoRevert(true).build())
                .hasMessageContaining("job 'nightly'")
                .hasMessageContaining("autoRevert")
                .hasMessageContaining("set journal = true");
        assertThatThrownBy(() ->
                        GuardPolicy.builder("nightly").tripOnJournalGap(true).build())
                .hasMessageContaining("tripOnJournalGap")
                .hasMessageContaining("set journal = true");
        assertThat(GuardPolicy.builder("nightly").build().journal()).isFalse();
    }
}
