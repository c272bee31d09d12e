package dev.jobguard.anomaly;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobguard.GuardMode;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.state.RunRecord;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BaselineTest {

    private static RunRecord run(long invoices, long audit) {
        Map<String, Map<Operation, Long>> rows = audit == 0
                ? Map.of("invoices", Map.of(Operation.UPDATE, invoices))
                : Map.of("invoices", Map.of(Operation.UPDATE, invoices), "audit_log", Map.of(Operation.INSERT, audit));
        Instant at = Instant.parse("2026-11-25T10:00:00Z");
        return new RunRecord(
                "r",
                "job",
                "node",
                GuardMode.ENFORCE,
                at,
                at,
                RunOutcome.SUCCEEDED,
                null,
                null,
                invoices + audit,
                false,
                rows);
    }

    @Test
    void theBaselineIsTheMedianOfTheTotalsAndOfEachTable() {
        Baseline baseline = Baseline.of(List.of(run(100, 0), run(90, 10), run(5000, 0), run(110, 20), run(95, 0)));

        assertThat(baseline.runs()).isEqualTo(5);
        assertThat(baseline.medianRows()).as("totals 100, 100, 5000, 130, 95").isEqualTo(100);
        assertThat(baseline.medianRowsByTable()).containsEntry("invoices", 100L).containsEntry("audit_log", 0L);
    }

    @Test
    void anEvenCountTakesTheLowerMiddleValue() {
        assertThat(Baseline.median(new long[] {10, 40, 20, 30})).isEqualTo(20);
        assertThat(Baseline.median(new long[] {})).isZero();
    }

    @Test
    void theLimitIsTheFactorTimesTheMedianButNeverBelowMinRows() {
        AnomalyPolicy policy = AnomalyPolicy.builder().factor(10).minRows(50).build();

        assertThat(policy.limitFor(100)).isEqualTo(1000);
        assertThat(policy.limitFor(2)).isEqualTo(50);
        assertThat(policy.limitFor(0)).isEqualTo(50);
        assertThat(AnomalyPolicy.builder().factor(2.5).build().limitFor(3)).isEqualTo(50);
        assertThat(AnomalyPolicy.builder().factor(2.5).minRows(0).build().limitFor(3))
                .isEqualTo(8);
    }

    @Test
    void invalidSettingsNameTheSettingAndTheFix() {
        assertThatThrownBy(() -> AnomalyPolicy.builder().factor(0.5))
                .hasMessageContaining("anomaly.factor")
                .hasMessageContaining(">= 1");
        assertThatThrownBy(() -> AnomalyPolicy.builder().factor(Double.NaN)).hasMessageContaining("anomaly.factor");
        assertThatThrownBy(() -> AnomalyPolicy.builder().minRows(-1)).hasMessageContaining("anomaly.min-rows");
        assertThatThrownBy(() -> AnomalyPolicy.builder().history(0)).hasMessageContaining("anomaly.history");
        assertThatThrownBy(() -> AnomalyPolicy.builder().minRuns(0)).hasMessageContaining("anomaly.min-runs");
        assertThatThrownBy(() -> AnomalyPolicy.builder().history(3).minRuns(5).build())
                .hasMessageContaining("cannot exceed");
    }
}
