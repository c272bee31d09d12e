package dev.jobguard.lock;

import java.time.Duration;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** Keeps two nodes from running the same job at once. Internal: the guard adapts ShedLock's LockProvider to it. */
public interface RunLock {

    /**
     * Takes the named lock.
     *
     * @return the held lock, or null when another node holds it
     */
    @Nullable
    Held tryLock(String name, Duration atMostFor, Instant now);

    /** A held lock. */
    interface Held {
        void unlock();
    }
}
