package dev.jobguard.notify;

/**
 * Told of every trip. Methods default to no-ops; the guard calls them after the job's state is saved, off the run's
 * thread, and catches whatever they throw, so a failing or slow listener never breaks the run or the disable.
 */
public interface TripListener {

    /** A run tripped (in OBSERVE mode: would have tripped; {@link TripEvent#disabled()} is then false). */
    default void onTrip(TripEvent event) {}
}
