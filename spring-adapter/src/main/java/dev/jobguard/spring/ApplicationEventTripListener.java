package dev.jobguard.spring;

import dev.jobguard.notify.TripEvent;
import dev.jobguard.notify.TripListener;
import org.springframework.context.ApplicationEventPublisher;

/** Publishes every trip as a {@link JobGuardTripEvent}. */
final class ApplicationEventTripListener implements TripListener {

    private final ApplicationEventPublisher publisher;

    ApplicationEventTripListener(ApplicationEventPublisher publisher) {
        this.publisher = publisher;
    }

    @Override
    public void onTrip(TripEvent event) {
        publisher.publishEvent(new JobGuardTripEvent(this, event));
    }
}
