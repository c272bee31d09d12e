package dev.jobguard.spring;

import dev.jobguard.notify.TripEvent;
import org.springframework.context.ApplicationEvent;

/**
 * Published in the application context for every trip (and every would-trip of an OBSERVE run): listen with
 * {@code @EventListener void on(JobGuardTripEvent event)}. Published off the run's thread, after the job's state is
 * saved.
 */
public class JobGuardTripEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final transient TripEvent trip;

    public JobGuardTripEvent(Object source, TripEvent trip) {
        super(source);
        this.trip = trip;
    }

    /** The trip: job, run, node, mode, what was crossed, and whether the job is now disabled. */
    public TripEvent getTrip() {
        return trip;
    }

    /** The job that tripped. */
    public String getJob() {
        return trip.job();
    }

    @Override
    public String toString() {
        return "JobGuardTripEvent[" + trip.describe() + "]";
    }
}
