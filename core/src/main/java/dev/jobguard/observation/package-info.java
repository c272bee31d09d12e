/**
 * The Micrometer {@code Observation} of a guarded run, {@code jobguard.run}: its context
 * ({@link dev.jobguard.observation.RunObservationContext}), its documentation and key names
 * ({@link dev.jobguard.observation.JobGuardObservation}) and its conventions
 * ({@link dev.jobguard.observation.RunObservationConvention}, {@link
 * dev.jobguard.observation.DefaultRunObservationConvention}). Set an {@code ObservationRegistry} on
 * {@code JobGuard.builder().observationRegistry(...)}; a Spring Boot application with tracing then gets one span per
 * run, with the run's JDBC spans under it.
 */
@NullMarked
package dev.jobguard.observation;

import org.jspecify.annotations.NullMarked;
