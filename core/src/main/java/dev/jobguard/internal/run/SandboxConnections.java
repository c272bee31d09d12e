package dev.jobguard.internal.run;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * The connections of a dry or atomic run's sandbox: numbered for messages, bounded in how long they wait for a lock,
 * and kept, when the job closes one, for the same thread's next {@code getConnection()} from the same DataSource until
 * the run ends.
 */
final class SandboxConnections {

    /** The longest a connection of this sandbox waits for a lock. */
    private final Duration lockTimeout;

    /** Numbers the connections of the sandbox, for messages. */
    private final AtomicInteger numbered = new AtomicInteger();

    /**
     * Sandboxed connections the job closed on each thread, per DataSource, kept for the thread's next
     * {@code getConnection()} from that DataSource until the run ends.
     */
    @SuppressWarnings("ThreadLocalUsage") // one per run on purpose: what each thread of this run closed
    private final ThreadLocal<IdentityHashMap<Object, Deque<RunParticipant>>> idleOnThread = new ThreadLocal<>();

    SandboxConnections(Duration lockTimeout) {
        this.lockTimeout = lockTimeout;
    }

    Duration lockTimeout() {
        return lockTimeout;
    }

    /** The next number of a connection joining the sandbox (1, 2, ...). */
    int next() {
        return numbered.incrementAndGet();
    }

    /** Keeps a connection the job closed on this thread, for the thread's next {@link #takeIdle} from {@code source}. */
    void keepIdle(Object source, RunParticipant connection) {
        IdentityHashMap<Object, Deque<RunParticipant>> idle = idleOnThread.get();
        if (idle == null) {
            idle = new IdentityHashMap<>(2);
            idleOnThread.set(idle);
        }
        idle.computeIfAbsent(source, s -> new ArrayDeque<>(2)).push(connection);
    }

    /** A connection from {@code source} the job closed on this thread, taken out of the idle ones, or null. */
    @Nullable
    RunParticipant takeIdle(Object source) {
        IdentityHashMap<Object, Deque<RunParticipant>> idle = idleOnThread.get();
        if (idle == null) {
            return null;
        }
        Deque<RunParticipant> connections = idle.get(source);
        return connections == null ? null : connections.poll();
    }

    /** Forgets the connections the calling thread kept (the run ended). */
    void clear() {
        idleOnThread.remove();
    }
}
