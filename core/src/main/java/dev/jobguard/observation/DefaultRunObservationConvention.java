package dev.jobguard.observation;

import dev.jobguard.RunReport;
import dev.jobguard.observation.JobGuardObservation.HighCardinalityKeys;
import dev.jobguard.observation.JobGuardObservation.LowCardinalityKeys;
import io.micrometer.common.KeyValues;

/**
 * The default names of a guarded run's observation: name {@value #NAME}, contextual (span) name {@code jobguard
 * <job>}, low-cardinality key values {@code job}, {@code mode}, {@code outcome}, high-cardinality {@code run.id} (see
 * {@link JobGuardObservation}).
 *
 * <p>With Micrometer's {@code DefaultMeterObservationHandler} on the registry (Spring Boot registers it), the
 * observation also makes a timer {@value #NAME} with those low-cardinality tags, beside jobguard's own {@code
 * jobguard.run.duration}.
 */
public class DefaultRunObservationConvention implements RunObservationConvention {

    /** The observation's name. */
    public static final String NAME = "jobguard.run";

    /** The outcome key's value before the run ends, or when it ended with an error thrown through the guard. */
    public static final String UNKNOWN = "UNKNOWN";

    /** The shared instance. */
    public static final DefaultRunObservationConvention INSTANCE = new DefaultRunObservationConvention();

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(RunObservationContext context) {
        return "jobguard " + context.jobName();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(RunObservationContext context) {
        return KeyValues.of(
                LowCardinalityKeys.JOB.withValue(context.jobName()),
                LowCardinalityKeys.MODE.withValue(context.mode().name()),
                LowCardinalityKeys.OUTCOME.withValue(
                        context.report().map(RunReport::outcome).map(Enum::name).orElse(UNKNOWN)));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(RunObservationContext context) {
        return KeyValues.of(HighCardinalityKeys.RUN_ID.withValue(context.runId()));
    }
}
