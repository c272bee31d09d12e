package dev.jobguard.internal.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class TablePatternsTest {

    private final TablePatterns defaults = TablePatterns.of(TablePatterns.DEFAULT_IGNORED);

    @Test
    void theDefaultsCoverTheGuardShedLockAndQuartzTablesWithOrWithoutSchema() {
        assertThat(defaults.matches("jobguard_run")).isTrue();
        assertThat(defaults.matches("ops.jobguard_job")).isTrue();
        assertThat(defaults.matches("shedlock")).isTrue();
        assertThat(defaults.matches("qrtz_triggers")).isTrue();
        assertThat(defaults.matches("public.qrtz_locks")).isTrue();
        assertThat(defaults.matches("batch_job_execution")).isTrue();
    }

    @Test
    void otherTablesAreNotIgnored() {
        assertThat(defaults.matches("invoices")).isFalse();
        assertThat(defaults.matches("shedlock_history")).isFalse();
        assertThat(defaults.matches("my_jobguard_copy")).isFalse();
        assertThat(defaults.matches(null)).isFalse();
    }

    @Test
    void patternsAreCaseInsensitiveAndUnquoted() {
        TablePatterns patterns = TablePatterns.of(List.of("\"Audit_*\"", "SCRATCH"));

        assertThat(patterns.matches("audit_2026")).isTrue();
        assertThat(patterns.matches("scratch")).isTrue();
    }

    @Test
    void aStarAnywhereButTheEndIsRejected() {
        assertThatThrownBy(() -> TablePatterns.of(List.of("qrtz_*_x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("qrtz_*_x");
        assertThatThrownBy(() -> TablePatterns.of(List.of(" "))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> TablePatterns.of(List.of("jobguard_*", "*")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'*' would leave every table uncounted");
    }
}
