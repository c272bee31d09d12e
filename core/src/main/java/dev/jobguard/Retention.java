package dev.jobguard;

import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.lock.RunLock;
import dev.jobguard.state.StateStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the state store's run records and audit trail, and the change journal, from growing for ever: every
 * {@link #DEFAULT_INTERVAL} one node (the one that takes lock {@value #LOCK_NAME}, when a lock is configured) deletes
 * what is older than the retention. {@code JobGuard.builder().retention(...)} sets it up; {@link JobGuard#purgeExpired}
 * purges at once.
 */
public final class Retention implements AutoCloseable {

    /** How long run records and audit entries are kept unless told otherwise. */
    public static final Duration DEFAULT_RETENTION = Duration.ofDays(90);

    /** How often the purge runs. */
    public static final Duration DEFAULT_INTERVAL = Duration.ofHours(1);

    /** The lock the purging node holds, so that one node of a cluster purges. */
    public static final String LOCK_NAME = "jobguard-purge";

    private static final Logger log = LoggerFactory.getLogger(Retention.class);

    private final StateStore store;
    private final @Nullable ChangeJournal journal;
    private final @Nullable RunLock lock;
    private final Clock clock;
    private final @Nullable Duration runs;
    private final @Nullable Duration journals;
    private @Nullable ScheduledExecutorService timer;

    /**
     * How long what the guard records is kept.
     *
     * @param runs how long run records and audit entries are kept, or null to keep them
     * @param journals how long change journals are kept (a run older than that can no longer be reverted), or null
     */
    record Periods(@Nullable Duration runs, @Nullable Duration journals) {}

    /**
     * @param journal the change journal, or null when none is purged
     * @param lock the cluster's lock, or null when each node purges (the deletes are idempotent)
     */
    Retention(StateStore store, @Nullable ChangeJournal journal, @Nullable RunLock lock, Clock clock, Periods periods) {
        this.store = Objects.requireNonNull(store, "store");
        this.journal = journal;
        this.lock = lock;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.runs = check(periods.runs(), "retention");
        this.journals = check(periods.journals(), "journalRetention");
    }

    /**
     * The retention, when valid: at least an hour, or null for none.
     *
     * @throws IllegalArgumentException naming the setting and the fix
     */
    static @Nullable Duration check(@Nullable Duration retention, String setting) {
        if (retention != null && (retention.isNegative() || retention.compareTo(Duration.ofHours(1)) < 0)) {
            throw new IllegalArgumentException("jobguard: invalid " + setting + " (" + retention
                    + "): use a duration of at least an hour (e.g. P90D), or none to keep everything");
        }
        return retention;
    }

    /** Whether there is anything to purge. */
    boolean active() {
        return runs != null || (journals != null && journal != null);
    }

    /** Starts the periodic purge on a daemon thread (first purge after a minute). */
    synchronized void start() {
        if (!active() || timer != null) {
            return;
        }
        timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "jobguard-retention");
            thread.setDaemon(true);
            return thread;
        });
        // ends with the timer (close); purgeQuietly catches what a purge throws, so the future has nothing to tell
        ScheduledFuture<?> unused =
                timer.scheduleWithFixedDelay(this::purgeQuietly, 60, DEFAULT_INTERVAL.toSeconds(), TimeUnit.SECONDS);
    }

    private void purgeQuietly() {
        try {
            purgeNow();
        } catch (RuntimeException failed) {
            log.error("jobguard: the periodic purge failed (retried in {}): {}", DEFAULT_INTERVAL, failed.toString());
        }
    }

    /**
     * Purges once now, under the lock when there is one.
     *
     * @return what was purged, or null when another node holds the lock
     */
    @Nullable
    Purge purgeNow() {
        Instant now = clock.instant();
        RunLock.Held held = null;
        if (lock != null) {
            held = lock.tryLock(LOCK_NAME, Duration.ofMinutes(30), now);
            if (held == null) {
                log.debug("jobguard: another node purges ({} is held)", LOCK_NAME);
                return null;
            }
        }
        try {
            Purge purge = purge(
                    store,
                    journal,
                    runs == null ? null : now.minus(runs),
                    journals == null ? null : now.minus(journals));
            if (purge.any()) {
                log.info(
                        "jobguard: purged {} run record(s) and {} audit entr(ies) older than {}, and {} change journal"
                                + " row(s) older than {}",
                        purge.runs(),
                        purge.actions(),
                        runs,
                        purge.journalRows(),
                        journals);
            }
            return purge;
        } finally {
            if (held != null) {
                held.unlock();
            }
        }
    }

    /**
     * Deletes the run records and audit entries from before {@code runsBefore}, and the change journal written before
     * {@code journalBefore}; a null cutoff, or a journal that cannot be read, leaves that part alone.
     */
    static Purge purge(
            StateStore store,
            @Nullable ChangeJournal journal,
            @Nullable Instant runsBefore,
            @Nullable Instant journalBefore) {
        StateStore.Purged purged = runsBefore == null ? new StateStore.Purged(0, 0) : store.purge(runsBefore);
        int journalRows =
                journalBefore == null || journal == null || !journal.canRevert() ? 0 : journal.purge(journalBefore);
        return new Purge(purged.runs(), purged.actions(), journalRows);
    }

    /** What one purge deleted. */
    public record Purge(int runs, int actions, int journalRows) {
        boolean any() {
            return runs + actions + journalRows > 0;
        }
    }

    @Override
    public synchronized void close() {
        if (timer != null) {
            timer.shutdownNow();
            timer = null;
        }
    }
}
