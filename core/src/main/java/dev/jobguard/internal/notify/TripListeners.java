package dev.jobguard.internal.notify;

import dev.jobguard.internal.run.RunMdc;
import dev.jobguard.notify.TripEvent;
import dev.jobguard.notify.TripListener;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Hands trips to a fixed list of listeners without ever blocking or breaking the caller. Each event is queued for one
 * daemon thread, {@value #THREAD_NAME}, which calls the listeners one after the other, in list order, events in the
 * order published; whatever a listener throws is logged at WARN and the next listener is still called. The queue
 * holds {@value #DEFAULT_QUEUE_CAPACITY} events; when it is full, or after {@link #close()}, an event is dropped with
 * a WARN. A slow listener delays the listeners and events behind it, never the publisher. The thread starts with the
 * first event; with no listeners nothing is started at all. Thread-safe.
 */
public final class TripListeners implements AutoCloseable {

    /** The name of the thread that calls the listeners. */
    public static final String THREAD_NAME = "jobguard-trip-listeners";
    /** Events waiting for the listeners beyond this many are dropped. */
    public static final int DEFAULT_QUEUE_CAPACITY = 1_000;
    /** How long {@link #close()} waits for queued events to be delivered. */
    public static final Duration DEFAULT_CLOSE_TIMEOUT = Duration.ofSeconds(10);

    private static final Logger LOG = LoggerFactory.getLogger(TripListeners.class);

    private final List<TripListener> listeners;
    private final int queueCapacity;
    /** Null when there are no listeners. */
    private final @Nullable ThreadPoolExecutor executor;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition idle = lock.newCondition();
    /** Guarded by lock: events accepted and not yet handed to every listener. */
    private int pending;

    private TripListeners(List<TripListener> listeners, int queueCapacity) {
        this.listeners = List.copyOf(listeners);
        this.queueCapacity = queueCapacity;
        this.executor = this.listeners.isEmpty()
                ? null
                : new ThreadPoolExecutor(
                        1, 1, 0, TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(queueCapacity), runnable -> {
                            Thread thread = new Thread(runnable, THREAD_NAME);
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /** The listeners, called in list order; an empty list gives an instance that does nothing. */
    public static TripListeners of(List<? extends TripListener> listeners) {
        return new TripListeners(List.copyOf(listeners), DEFAULT_QUEUE_CAPACITY);
    }

    static TripListeners of(List<? extends TripListener> listeners, int queueCapacity) {
        return new TripListeners(List.copyOf(listeners), queueCapacity);
    }

    /** Queues the event for every listener and returns at once; never throws for a listener's sake. */
    public void publish(TripEvent event) {
        Objects.requireNonNull(event, "event");
        if (executor == null) {
            return;
        }
        changePending(1);
        try {
            executor.execute(() -> deliver(event));
        } catch (RejectedExecutionException e) {
            changePending(-1);
            LOG.warn(
                    "jobguard: trip of job '{}' run {} not handed to the listeners: {}",
                    event.job(),
                    event.runId(),
                    executor.isShutdown()
                            ? "the trip listeners are closed"
                            : "the queue of " + queueCapacity + " waiting trips is full");
        }
    }

    /**
     * Waits until every event published so far has been handed to every listener.
     *
     * @return true if idle, false if the time ran out first
     */
    public boolean awaitIdle(Duration timeout) {
        long nanos = saturatedNanos(timeout);
        lock.lock();
        try {
            while (pending > 0) {
                if (nanos <= 0) {
                    return false;
                }
                nanos = idle.awaitNanos(nanos);
            }
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Stops accepting events and waits up to {@link #DEFAULT_CLOSE_TIMEOUT} for the queued ones to be delivered; what
     * is still queued then is dropped with a WARN and the thread is interrupted. Idempotent.
     */
    @Override
    public void close() {
        if (executor == null || executor.isShutdown()) {
            return;
        }
        executor.shutdown();
        boolean drained;
        try {
            drained = executor.awaitTermination(DEFAULT_CLOSE_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            drained = false;
        }
        if (!drained) {
            int dropped = executor.shutdownNow().size();
            changePending(-dropped);
            LOG.warn(
                    "jobguard: trip listeners closed before {} queued trip(s) were delivered; they are dropped",
                    dropped);
        }
    }

    /** How many threads were ever started: 0 without listeners or before the first event, else 1. */
    int threadsStarted() {
        return executor == null ? 0 : executor.getLargestPoolSize();
    }

    private void deliver(TripEvent event) {
        try {
            putMdc(RunMdc.JOB, event.job());
            putMdc(RunMdc.RUN, event.runId());
            for (TripListener listener : listeners) {
                try {
                    listener.onTrip(event);
                } catch (Throwable e) {
                    LOG.warn(
                            "jobguard: trip listener {} failed on the trip of job '{}' run {}",
                            listener.getClass().getName(),
                            event.job(),
                            event.runId(),
                            e);
                }
            }
        } finally {
            MDC.remove(RunMdc.JOB);
            MDC.remove(RunMdc.RUN);
            changePending(-1);
        }
    }

    private static void putMdc(String key, String value) {
        if (value != null) {
            MDC.put(key, value);
        }
    }

    private void changePending(int delta) {
        lock.lock();
        try {
            pending += delta;
            if (pending <= 0) {
                idle.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }
}
