package dev.jobguard.notify;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.jobguard.GuardMode;
import dev.jobguard.Trip;
import dev.jobguard.TripReason;
import dev.jobguard.anomaly.Baseline;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoggingTripListenerTest {

    private final LoggingTripListener listener = new LoggingTripListener();

    @Test
    void aTripThatDisabledTheJobIsOneErrorLineWithEverythingAnOperatorNeeds() {
        try (CapturedLogs logs = CapturedLogs.of("dev.jobguard.trip")) {
            listener.onTrip(TripEvents.enforced("invoice-cleanup"));

            assertThat(logs.events()).hasSize(1);
            ILoggingEvent line = logs.events().get(0);
            assertThat(line.getLevel()).isEqualTo(Level.ERROR);
            assertThat(line.getFormattedMessage())
                    .doesNotContain("\n")
                    .contains("job 'invoice-cleanup'")
                    .contains("run run-42")
                    .contains("on node-a")
                    .contains("(ENFORCE)")
                    .contains("tripped and is DISABLED")
                    .contains("reason=MAX_ROWS_CHANGED")
                    .contains("setting=maxRowsChanged")
                    .contains("limit=1000")
                    .contains("figure=5000")
                    .contains("table=invoices")
                    .contains("statement: DELETE FROM invoices WHERE paid")
                    .contains("disabled=true")
                    .contains("jobguard enable invoice-cleanup");
        }
    }

    @Test
    void aWouldTripInObserveModeIsLoggedAtWarnWithoutReEnableAdvice() {
        try (CapturedLogs logs = CapturedLogs.of(LoggingTripListener.LOGGER_NAME)) {
            listener.onTrip(TripEvents.observed("customer-sync"));

            assertThat(logs.events()).hasSize(1);
            ILoggingEvent line = logs.events().get(0);
            assertThat(line.getLevel()).isEqualTo(Level.WARN);
            assertThat(line.getFormattedMessage())
                    .contains("job 'customer-sync'")
                    .contains("(OBSERVE)")
                    .contains("would have tripped")
                    .contains("reason=TABLE_LIMIT")
                    .contains("table=customers")
                    .contains("disabled=false")
                    .doesNotContain("re-enable");
        }
    }

    @Test
    void anEnforcedTripThatDidNotDisableTheJobIsStillAnError() {
        TripEvent event = new TripEvent(
                "nightly",
                "run-1",
                "node-b",
                GuardMode.ENFORCE,
                new Trip(TripReason.MAX_DURATION, 60_000, 61_500, null, null),
                false,
                TripEvents.AT);
        try (CapturedLogs logs = CapturedLogs.of(LoggingTripListener.LOGGER_NAME)) {
            listener.onTrip(event);

            assertThat(logs.events()).singleElement().satisfies(line -> {
                assertThat(line.getLevel()).isEqualTo(Level.ERROR);
                assertThat(line.getFormattedMessage()).contains("table=null").contains("figure=61500");
            });
        }
    }

    @Test
    void anAnomalyTripLineSaysTheBaselineTheLimitWasDrawnFrom() {
        TripEvent event = new TripEvent(
                "nightly",
                "run-1",
                "node-b",
                GuardMode.ENFORCE,
                new Trip(TripReason.ANOMALY, 1000, 1200, null, "UPDATE invoices SET amount = 0"),
                true,
                TripEvents.AT,
                new Baseline(10, 100, Map.of("invoices", 100L)));
        try (CapturedLogs logs = CapturedLogs.of(LoggingTripListener.LOGGER_NAME)) {
            listener.onTrip(event);

            assertThat(logs.events())
                    .singleElement()
                    .satisfies(line -> assertThat(line.getFormattedMessage())
                            .contains("1200 rows changed, over the anomaly limit of 1000")
                            .contains("median 100 rows over 10 runs {invoices=100}")
                            .contains("re-enable with"));
        }
    }
}
