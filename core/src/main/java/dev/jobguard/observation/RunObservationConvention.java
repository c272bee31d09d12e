package dev.jobguard.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names a guarded run's observation and its key values. Implement it (or extend {@link
 * DefaultRunObservationConvention}) to add or change key values, and set it on {@code
 * JobGuard.builder().observationConvention(...)} (in Spring: a bean of this type); {@link
 * DefaultRunObservationConvention} otherwise. An {@code ObservationFilter} or a global convention on the registry
 * applies too.
 */
public interface RunObservationConvention extends ObservationConvention<RunObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof RunObservationContext;
    }
}
