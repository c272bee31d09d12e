package dev.jobguard.internal.run;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.concurrent.locks.LockSupport;

/**
 * Guards a run's counters without a monitor on the thread that started the run, for as long as no other thread has
 * touched them. A job mostly writes on that one thread, and every write is counted: there the monitor's two atomic
 * instructions per count are the largest part of the guard's own cost. The first time another thread (a helper the job
 * wrapped with {@code GuardContext.wrap}, a reader of the run's figures) comes, it marks the lock shared and waits
 * until the owner is out of the counters; from then on every thread, the owner too, takes the run's monitor.
 *
 * <p>A handshake of two flags, each thread writing its own and then reading the other's (Dekker's): the owner sets
 * {@code ownerInside} with a full fence and then reads {@code shared}; another thread sets {@code shared} with a full
 * fence and then waits while {@code ownerInside}. One of the two always sees the other's flag, so the owner never
 * counts unlocked while another thread counts or reads.
 *
 * <p>Use: {@code if (lock.enterAsOwner()) { try { body } finally { lock.exitAsOwner(); } } else { lock.share();
 * synchronized (monitor) { body } }}. Reentrant on the owner thread.
 */
final class OwnerFirstLock {

    private static final VarHandle OWNER_INSIDE;

    static {
        try {
            OWNER_INSIDE = MethodHandles.lookup().findVarHandle(OwnerFirstLock.class, "ownerInside", boolean.class);
        } catch (ReflectiveOperationException impossible) {
            throw new ExceptionInInitializerError(impossible);
        }
    }

    private final Thread owner = Thread.currentThread();
    /** Another thread has used the counters: every access takes the monitor from now on. Never goes back. */
    private volatile boolean shared;
    /** The owner is in the counters without the monitor. */
    private volatile boolean ownerInside;
    /** How deep the owner is in unlocked sections (a count that trips settles connections that count). Owner only. */
    private int depth;

    /**
     * Enters the counters without the monitor, when the caller is the owner and no other thread has used them.
     *
     * @return whether the caller is in; it then calls {@link #exitAsOwner()} when done, else it takes the monitor
     */
    boolean enterAsOwner() {
        if (Thread.currentThread() != owner) {
            return false;
        }
        if (depth > 0) {
            depth++;
            return true;
        }
        if (shared) {
            return false;
        }
        ownerInside = true; // a volatile write: a full fence before the read of shared
        if (shared) {
            OWNER_INSIDE.setRelease(this, false);
            return false;
        }
        depth = 1;
        return true;
    }

    /** Leaves what {@link #enterAsOwner()} entered. */
    void exitAsOwner() {
        if (--depth == 0) {
            OWNER_INSIDE.setRelease(this, false); // what the owner wrote is seen by the thread that reads it false
        }
    }

    /**
     * Before a thread other than the owner takes the monitor: marks the counters shared and waits until the owner is
     * out of them. Nothing to do on the owner's thread.
     */
    void share() {
        if (Thread.currentThread() == owner) {
            return;
        }
        if (!shared) {
            shared = true; // a volatile write: a full fence before the read of ownerInside
        }
        int spins = 0;
        while (ownerInside) {
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                LockSupport.parkNanos(1_000); // the owner settles connections after a trip
            }
        }
    }
}
