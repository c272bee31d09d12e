package dev.jobguard;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;

/**
 * The times of this node's runs: each run starts strictly later than the one before, to the millisecond the store
 * keeps, and ends no earlier than it started.
 */
final class RunClock {

    private final Clock clock;
    /** The start of this node's latest run, to the millisecond: each run starts strictly later. */
    private final AtomicReference<Instant> lastStart = new AtomicReference<>(Instant.EPOCH);

    RunClock(Clock clock) {
        this.clock = clock;
    }

    /**
     * The run's start: the clock's time, to the millisecond the store keeps, made later than this node's previous run.
     * Runs that follow each other within one millisecond would otherwise tie, and the job's history (failures in a
     * row, the baseline) is read newest first.
     */
    Instant nextStart() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return lastStart.accumulateAndGet(
                now, (last, candidate) -> candidate.isAfter(last) ? candidate : last.plusMillis(1));
    }

    /**
     * The admitted run's start, made a millisecond later than the job's last change when it would share that
     * millisecond: the store keeps milliseconds, and failures in a row count only runs started after an operator's
     * enable, so a run admitted by the enable must not tie with it (nor with a run that ended just before it).
     */
    Instant startAfter(Instant startedAt, @Nullable Instant changedAt) {
        if (changedAt == null) {
            return startedAt;
        }
        Instant earliest = changedAt.truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        if (startedAt.isBefore(earliest)) {
            return lastStart.accumulateAndGet(
                    earliest, (last, candidate) -> candidate.isAfter(last) ? candidate : last.plusMillis(1));
        }
        return startedAt;
    }

    /** The clock's time, but never before the run's start (which may be a millisecond ahead of the clock). */
    Instant endOf(Instant startedAt) {
        Instant now = clock.instant();
        return now.isBefore(startedAt) ? startedAt : now;
    }
}
