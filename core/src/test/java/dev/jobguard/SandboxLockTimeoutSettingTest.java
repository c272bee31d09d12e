package dev.jobguard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SandboxLockTimeoutSettingTest {

    @Test
    void theDefaultIsAFewSeconds() {
        assertThat(JobGuard.DEFAULT_SANDBOX_LOCK_TIMEOUT).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void aTimeoutThatIsNotPositiveOrLongerThanADayIsRefusedNamingTheSettingAndTheFix() {
        for (Duration invalid : new Duration[] {null, Duration.ZERO, Duration.ofSeconds(-1), Duration.ofDays(2)}) {
            assertThatThrownBy(() -> JobGuard.builder().sandboxLockTimeout(invalid))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("sandboxLockTimeout (" + invalid + ")")
                    .hasMessageContaining("e.g. PT5S");
        }
        JobGuard.builder().sandboxLockTimeout(Duration.ofMillis(1)).sandboxLockTimeout(Duration.ofDays(1));
    }
}
