package dev.jobguard.cli;

import dev.jobguard.GuardMode;
import dev.jobguard.Trip;
import dev.jobguard.state.JobState;
import dev.jobguard.state.RunRecord;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How the CLI writes values: UTC times to the second, short durations, modes as typed on the command line. */
final class Text {

    static final String NONE = "-";

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private Text() {}

    static String time(Instant instant) {
        return instant == null ? NONE : TIME.format(instant);
    }

    static String duration(Duration duration) {
        if (duration == null) {
            return "running";
        }
        long millis = duration.toMillis();
        if (millis < 1_000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
        }
        long seconds = duration.toSeconds();
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%dm%02ds", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%dh%02dm", seconds / 3600, (seconds % 3600) / 60);
    }

    /** The time left until an instant, in short words ("1h20m", "45s"). */
    static String left(Instant until, Instant now) {
        Duration left = Duration.between(now, until);
        return left.isNegative() ? "0s" : duration(left.withNanos(0));
    }

    /** A job's state, with the end of a time-boxed disable and the time left. */
    static String state(JobState state, Instant now) {
        if (state.disabledUntil() == null || !state.isDisabled()) {
            return state.status().name();
        }
        return state.status() + " until " + time(state.disabledUntil()) + " (" + left(state.disabledUntil(), now)
                + " left)";
    }

    static String mode(GuardMode mode) {
        return mode == null ? NONE : mode.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    static String or(Object value) {
        if (value == null) {
            return NONE;
        }
        String text = value.toString().strip().replaceAll("\\s*\\R\\s*", " ");
        return text.isEmpty() ? NONE : text;
    }

    static String outcome(RunRecord run) {
        if (run.outcome() == null) {
            return "RUNNING";
        }
        return run.occurrences() > 1
                ? run.outcome() + " x" + run.occurrences()
                : run.outcome().name();
    }

    static String rows(RunRecord run) {
        return run.rowsChanged() + (run.rowCountIsLowerBound() ? "+" : "");
    }

    /** Rows committed, or "-" when the run's record does not say (running, skipped, recorded by an older version). */
    static String kept(RunRecord run) {
        return run.rowsCommitted() == null ? NONE : Long.toString(run.rowsCommitted());
    }

    /** A trip in a few words: the reason, the figure over the limit, the table. */
    static String tripShort(Trip trip) {
        if (trip == null) {
            return NONE;
        }
        StringBuilder text = new StringBuilder(trip.reason().name());
        if (trip.figure() >= 0) {
            text.append(' ').append(trip.figure()).append('>').append(trip.limit());
        }
        if (trip.table() != null) {
            text.append(" on ").append(trip.table());
        }
        return text.toString();
    }
}
