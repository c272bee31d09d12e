package dev.jobguard.lock;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import net.javacrumbs.shedlock.core.ExtensibleLockProvider;
import net.javacrumbs.shedlock.core.LockConfiguration;
import net.javacrumbs.shedlock.core.LockProvider;
import net.javacrumbs.shedlock.support.KeepAliveLockProvider;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link RunLock} on ShedLock's {@link LockProvider}. A run may outlast its {@code lockAtMostFor}: where the provider
 * can extend a lock ({@link ExtensibleLockProvider}: JDBC, and most others), the lock is kept alive for as long as the
 * run lasts by ShedLock's own {@link KeepAliveLockProvider} (extended every half of {@code lockAtMostFor}), so no
 * other node starts the job meanwhile; {@code lockAtMostFor} then bounds only how long a dead node's lock is held.
 * Where it cannot, or {@code lockAtMostFor} is below {@link #MIN_KEEP_ALIVE_AT_MOST_FOR}, the lock expires after
 * {@code lockAtMostFor} as ShedLock's does, and the guard says so once per job. Only loaded when ShedLock is present.
 */
public final class ShedLockRunLock implements RunLock {

    /** The shortest {@code lockAtMostFor} ShedLock's keep-alive extends. */
    public static final Duration MIN_KEEP_ALIVE_AT_MOST_FOR = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(ShedLockRunLock.class);

    private static volatile @Nullable ScheduledExecutorService keepAliveThread;

    private final LockProvider provider;
    private final @Nullable LockProvider keptAlive;
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    public ShedLockRunLock(LockProvider provider) {
        this.provider = Objects.requireNonNull(provider, "lockProvider");
        this.keptAlive = provider instanceof ExtensibleLockProvider extensible
                ? new KeepAliveLockProvider(extensible, keepAliveThread())
                : null;
    }

    @Override
    public @Nullable Held tryLock(String name, Duration atMostFor, Instant now) {
        LockConfiguration configuration = new LockConfiguration(now, name, atMostFor, Duration.ZERO);
        LockProvider locking = provider;
        if (keptAlive != null && atMostFor.compareTo(MIN_KEEP_ALIVE_AT_MOST_FOR) >= 0) {
            locking = keptAlive;
        } else if (warned.add(name)) {
            log.warn(
                    "jobguard: lock '{}': {}; a run longer than lockAtMostFor={} may overlap with a run of the same job"
                            + " on another node. Fix: {}",
                    name,
                    keptAlive == null
                            ? "the lock provider " + provider.getClass().getName() + " cannot extend a lock"
                            : "lockAtMostFor is below " + MIN_KEEP_ALIVE_AT_MOST_FOR.toSeconds()
                                    + " s, the shortest ShedLock keeps alive",
                    atMostFor,
                    keptAlive == null
                            ? "use a provider that implements ExtensibleLockProvider (JDBC, Redis, Mongo, ...), or set"
                                    + " lockAtMostFor above the job's longest run"
                            : "set lockAtMostFor to at least " + MIN_KEEP_ALIVE_AT_MOST_FOR.toSeconds() + " s");
        }
        return locking.lock(configuration).<Held>map(lock -> lock::unlock).orElse(null);
    }

    /** The provider this lock uses. */
    public LockProvider provider() {
        return provider;
    }

    /** Whether runs of {@code lockAtMostFor} or longer keep their lock alive while they last. */
    public boolean keepsLocksAlive() {
        return keptAlive != null;
    }

    /** One daemon thread for every guard's lock extensions: an extension is a single short UPDATE. */
    private static ScheduledExecutorService keepAliveThread() {
        ScheduledExecutorService thread = keepAliveThread;
        if (thread == null) {
            synchronized (ShedLockRunLock.class) {
                thread = keepAliveThread;
                if (thread == null) {
                    ScheduledThreadPoolExecutor created = new ScheduledThreadPoolExecutor(1, task -> {
                        Thread daemon = new Thread(task, "jobguard-lock-keep-alive");
                        daemon.setDaemon(true);
                        return daemon;
                    });
                    created.setRemoveOnCancelPolicy(true);
                    keepAliveThread = created;
                    thread = created;
                }
            }
        }
        return thread;
    }

    @Override
    public String toString() {
        return "ShedLockRunLock[" + provider + "]";
    }
}
