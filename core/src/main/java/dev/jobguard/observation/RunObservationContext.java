package dev.jobguard.observation;

import dev.jobguard.GuardMode;
import dev.jobguard.RunReport;
import io.micrometer.observation.Observation;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an observation of a guarded run knows: the job, the run's id and the mode its policy declares from the start,
 * and the run's report once it has ended (set before the observation stops).
 */
public class RunObservationContext extends Observation.Context {

    private final String jobName;
    private final String runId;
    private final GuardMode declaredMode;
    private volatile @Nullable RunReport report;

    /** A run of the job about to start in the mode its policy declares. */
    public RunObservationContext(String jobName, String runId, GuardMode declaredMode) {
        this.jobName = Objects.requireNonNull(jobName, "jobName");
        this.runId = Objects.requireNonNull(runId, "runId");
        this.declaredMode = Objects.requireNonNull(declaredMode, "declaredMode");
    }

    public String jobName() {
        return jobName;
    }

    public String runId() {
        return runId;
    }

    /** The mode the run's policy declares; an operator's pinned mode shows in {@link #mode()} once the run ended. */
    public GuardMode declaredMode() {
        return declaredMode;
    }

    /** The mode the run ran in: the report's once it ended, the declared one until then. */
    public GuardMode mode() {
        RunReport ended = report;
        return ended == null ? declaredMode : ended.mode();
    }

    /** The run's report; empty until the run has ended. */
    public Optional<RunReport> report() {
        return Optional.ofNullable(report);
    }

    /** Sets the run's report when it has ended, before the observation stops. */
    public void report(RunReport report) {
        this.report = Objects.requireNonNull(report, "report");
    }
}
