package dev.jobguard.internal.notify;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import dev.jobguard.notify.CapturedLogs;
import dev.jobguard.notify.TripEvent;
import dev.jobguard.notify.TripEvents;
import dev.jobguard.notify.TripListener;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class TripListenersTest {

    /** Records the jobs it is told of, and the thread that told it. */
    private static final class Recording implements TripListener {
        final List<String> jobs = Collections.synchronizedList(new ArrayList<>());
        volatile Thread thread;

        @Override
        public void onTrip(TripEvent event) {
            thread = Thread.currentThread();
            jobs.add(event.job());
        }
    }

    private static final class Throwing implements TripListener {
        @Override
        public void onTrip(TripEvent event) {
            throw new IllegalStateException("listener bug");
        }
    }

    /** Blocks every call until released. */
    private static final class Blocking implements TripListener {
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void onTrip(TripEvent event) {
            try {
                release.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Test
    void aListenerThatThrowsIsLoggedWithItsClassAndTheNextListenerIsStillCalled() {
        Recording recording = new Recording();
        try (CapturedLogs logs = CapturedLogs.of(TripListeners.class);
                TripListeners listeners = TripListeners.of(List.of(new Throwing(), recording))) {
            listeners.publish(TripEvents.enforced("a"));

            assertThat(listeners.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(recording.jobs).containsExactly("a");
            assertThat(logs.at(Level.WARN)).singleElement().satisfies(line -> {
                assertThat(line.getFormattedMessage())
                        .contains(Throwing.class.getName())
                        .contains("job 'a'");
                assertThat(line.getThrowableProxy().getMessage()).isEqualTo("listener bug");
            });
        }
    }

    @Test
    void aSlowListenerDoesNotSlowPublish() {
        Blocking blocking = new Blocking();
        try (TripListeners listeners = TripListeners.of(List.of(blocking))) {
            long start = System.nanoTime();
            for (int i = 0; i < 10; i++) {
                listeners.publish(TripEvents.enforced("job-" + i));
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(elapsed).isLessThan(Duration.ofSeconds(1));
            assertThat(listeners.awaitIdle(Duration.ofMillis(50))).isFalse();
            blocking.release.countDown();
            assertThat(listeners.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void eventsArriveInPublishOrderOnTheNamedDaemonThread() {
        Recording recording = new Recording();
        List<String> published = new ArrayList<>();
        try (TripListeners listeners = TripListeners.of(List.of(recording))) {
            assertThat(listeners.threadsStarted())
                    .as("started by the first event")
                    .isZero();
            for (int i = 0; i < 200; i++) {
                published.add("job-" + i);
                listeners.publish(TripEvents.enforced("job-" + i));
            }

            assertThat(listeners.awaitIdle(Duration.ofSeconds(10))).isTrue();
            assertThat(listeners.threadsStarted()).isEqualTo(1);
        }
        assertThat(recording.jobs).containsExactlyElementsOf(published);
        assertThat(recording.thread.getName()).isEqualTo(TripListeners.THREAD_NAME);
        assertThat(recording.thread.isDaemon()).isTrue();
    }

    @Test
    void closeDeliversWhatIsQueuedAndThenDropsNewEvents() {
        Recording recording = new Recording();
        TripListener slow = new TripListener() {
            @Override
            public void onTrip(TripEvent event) {
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        TripListeners listeners = TripListeners.of(List.of(slow, recording));
        for (int i = 0; i < 20; i++) {
            listeners.publish(TripEvents.enforced("job-" + i));
        }

        listeners.close();

        assertThat(recording.jobs).hasSize(20);
        try (CapturedLogs logs = CapturedLogs.of(TripListeners.class)) {
            listeners.publish(TripEvents.enforced("late"));

            assertThat(logs.at(Level.WARN))
                    .singleElement()
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .asString()
                    .contains("job 'late'")
                    .contains("closed");
        }
        assertThat(recording.jobs).doesNotContain("late");
        listeners.close();
    }

    @Test
    void aFullQueueDropsTheEventWithAWarningInsteadOfBlocking() {
        Blocking blocking = new Blocking();
        try (CapturedLogs logs = CapturedLogs.of(TripListeners.class);
                TripListeners listeners = TripListeners.of(List.of(blocking), 2)) {
            // one event is being delivered, two wait in the queue, the rest do not fit
            for (int i = 0; i < 5; i++) {
                listeners.publish(TripEvents.enforced("job-" + i));
            }

            assertThat(logs.at(Level.WARN))
                    .isNotEmpty()
                    .allSatisfy(line ->
                            assertThat(line.getFormattedMessage()).contains("queue of 2 waiting trips is full"));
            blocking.release.countDown();
            assertThat(listeners.awaitIdle(Duration.ofSeconds(10))).isTrue();
        }
    }

    @Test
    void noListenersMeansNoThread() {
        try (TripListeners listeners = TripListeners.of(List.of())) {
            listeners.publish(TripEvents.enforced("a"));

            assertThat(listeners.awaitIdle(Duration.ZERO)).isTrue();
            assertThat(listeners.threadsStarted()).isZero();
        }
    }
}
