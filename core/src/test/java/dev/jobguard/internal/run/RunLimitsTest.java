package dev.jobguard.internal.run;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.GuardPolicy;
import org.junit.jupiter.api.Test;

class RunLimitsTest {

    @Test
    void aLimitWithoutSchemaAppliesToTheTableWrittenWithOrWithoutOne() {
        RunLimits limits = RunLimits.from(
                GuardPolicy.builder("job").tableLimit("invoices", 10).build());

        assertThat(limits.tableLimit("invoices")).isEqualTo(10);
        assertThat(limits.tableLimit("billing.invoices")).isEqualTo(10);
        assertThat(limits.tableLimit("payments")).isEqualTo(RunLimits.NONE);
    }

    @Test
    void aLimitWithSchemaAppliesToItsSchemaAndToTheTableWrittenWithoutOneButNotToAnotherSchema() {
        RunLimits limits = RunLimits.from(
                GuardPolicy.builder("job").tableLimit("billing.invoices", 10).build());

        assertThat(limits.tableLimit("billing.invoices")).isEqualTo(10);
        assertThat(limits.tableLimit("invoices")).isEqualTo(10);
        assertThat(limits.tableLimit("archive.invoices")).isEqualTo(RunLimits.NONE);
    }

    @Test
    void aTableWrittenWithoutSchemaGetsTheStricterOfTwoSchemasLimitsAndItsOwnWhenItHasOne() {
        RunLimits bySchema = RunLimits.from(GuardPolicy.builder("job")
                .tableLimit("billing.invoices", 50)
                .tableLimit("archive.invoices", 20)
                .build());
        RunLimits withOwn = RunLimits.from(GuardPolicy.builder("job")
                .tableLimit("billing.invoices", 5)
                .tableLimit("invoices", 30)
                .build());

        assertThat(bySchema.tableLimit("invoices")).isEqualTo(20);
        assertThat(bySchema.tableLimit("billing.invoices")).isEqualTo(50);
        assertThat(withOwn.tableLimit("invoices")).isEqualTo(30);
        assertThat(withOwn.tableLimit("billing.invoices")).isEqualTo(5);
    }
}
