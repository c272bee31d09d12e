package dev.jobguard;

import dev.jobguard.observation.DefaultRunObservationConvention;
import dev.jobguard.observation.JobGuardObservation;
import dev.jobguard.observation.RunObservationContext;
import dev.jobguard.observation.RunObservationConvention;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Makes the {@link JobGuardObservation#RUN} observation of each run: started before the run's state is read, the run
 * (and so the job) inside its scope, the outcome set before it stops.
 */
final class RunObserver {

    private final ObservationRegistry registry;
    private final @Nullable RunObservationConvention convention;

    /**
     * @param convention the application's convention, or null for {@link DefaultRunObservationConvention}
     */
    RunObserver(ObservationRegistry registry, @Nullable RunObservationConvention convention) {
        this.registry = registry;
        this.convention = convention;
    }

    /** Runs the guarded run inside its observation's scope. */
    @SuppressWarnings("try") // the resource is held open for the body, never read in it
    RunReport observe(GuardPolicy policy, String runId, Supplier<RunReport> run) {
        if (registry.isNoop()) {
            return run.get(); // no observation to make: a run pays nothing for it
        }
        RunObservationContext context = new RunObservationContext(policy.jobName(), runId, policy.mode());
        Observation observation = observation(context).start();
        RunReport report;
        try (Observation.Scope scope = observation.openScope()) {
            report = run.get();
        } catch (RuntimeException | Error thrown) {
            observation.error(thrown);
            observation.stop();
            throw thrown;
        }
        stop(observation, context, report);
        return report;
    }

    /**
     * Observes a run refused before it could start ({@link JobGuard#refuseUnlessRunnable}), once it is known to be
     * refused: a null report (the job may run) makes none, as the run that follows makes its own.
     */
    @Nullable
    RunReport refused(GuardPolicy policy, String runId, @Nullable RunReport report) {
        if (report != null && !registry.isNoop()) {
            RunObservationContext context = new RunObservationContext(policy.jobName(), runId, policy.mode());
            stop(observation(context).start(), context, report);
        }
        return report;
    }

    private Observation observation(RunObservationContext context) {
        return JobGuardObservation.RUN.observation(
                convention, DefaultRunObservationConvention.INSTANCE, () -> context, registry);
    }

    private static void stop(Observation observation, RunObservationContext context, RunReport report) {
        context.report(report);
        report.failure().ifPresent(observation::error);
        observation.stop();
    }
}
