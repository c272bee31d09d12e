package dev.jobguard;

import dev.jobguard.internal.metrics.GuardMetrics;
import dev.jobguard.internal.notify.TripListeners;

/**
 * Where the guard's runs are told of: meters, trip listeners, observations.
 *
 * @param metrics the guard's meters (none when no registry is set)
 * @param listeners those told of every trip
 * @param observer makes each run's observation
 */
record RunSignals(GuardMetrics metrics, TripListeners listeners, RunObserver observer) {}
