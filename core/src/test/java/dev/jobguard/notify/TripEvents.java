package dev.jobguard.notify;

import dev.jobguard.GuardMode;
import dev.jobguard.Trip;
import dev.jobguard.TripReason;
import java.time.Instant;

/** Trip events for the tests. */
public final class TripEvents {

    public static final Instant AT = Instant.parse("2025-03-04T05:06:07.089Z");

    private TripEvents() {}

    public static TripEvent enforced(String job) {
        return new TripEvent(
                job,
                "run-42",
                "node-a",
                GuardMode.ENFORCE,
                new Trip(TripReason.MAX_ROWS_CHANGED, 1000, 5000, "invoices", "DELETE FROM invoices WHERE paid"),
                true,
                AT);
    }

    public static TripEvent observed(String job) {
        return new TripEvent(
                job,
                "run-43",
                "node-a",
                GuardMode.OBSERVE,
                new Trip(TripReason.TABLE_LIMIT, 10, 11, "customers", "UPDATE customers SET x = 1"),
                false,
                AT);
    }
}
