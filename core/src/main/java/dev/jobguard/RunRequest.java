package dev.jobguard;

import dev.jobguard.internal.run.RunIds;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * An operator's request to run a guarded job once now, outside its schedule ("run now"), for {@link JobGuard#run(
 * GuardPolicy, RunRequest, GuardedTask)}: the run's id, known before the run starts (an answer that cannot wait for
 * the run gives it out), the mode asked for, and who asked through what. The run goes through the same state checks
 * and lock as a scheduled one: a disabled job is SKIPPED.
 *
 * <p>The mode asked for combines with the job's own (its configured mode, or the mode an operator pinned):
 *
 * <ul>
 *   <li>none: the job's own mode;
 *   <li>{@link GuardMode#DRY_RUN}: always a dry run;
 *   <li>{@link GuardMode#OBSERVE}: observe, unless the job's own mode is DRY_RUN, which it keeps (a pinned dry run is
 *       never turned into a run that keeps its writes).
 * </ul>
 *
 * {@link GuardMode#ENFORCE} cannot be asked for: it would override an operator's pinned dry run; ask for no mode.
 *
 * @param runId the id the run is recorded under
 * @param mode DRY_RUN, OBSERVE, or null for the job's own mode
 * @param actor who asked (recorded in the run's detail)
 * @param via through what, e.g. {@code actuator}
 */
public record RunRequest(String runId, @Nullable GuardMode mode, String actor, String via) {

    public RunRequest {
        runId = text(runId, "runId");
        actor = text(actor, "actor");
        via = text(via, "via");
        if (mode == GuardMode.ENFORCE) {
            throw new IllegalArgumentException("jobguard: run now cannot ask for ENFORCE (it would override a mode an"
                    + " operator pinned): ask for no mode to run the job in its own mode, or for DRY_RUN or OBSERVE");
        }
    }

    /** A request with a new run id. */
    public static RunRequest of(@Nullable GuardMode mode, String actor, String via) {
        return new RunRequest(RunIds.next(), mode, actor, via);
    }

    /** The mode the run takes, given the job's own (after any operator's pin). */
    public GuardMode modeFor(GuardMode jobMode) {
        Objects.requireNonNull(jobMode, "jobMode");
        if (mode == null) {
            return jobMode;
        }
        return mode == GuardMode.DRY_RUN || jobMode == GuardMode.DRY_RUN ? GuardMode.DRY_RUN : GuardMode.OBSERVE;
    }

    /** For the run's detail and log line: who asked, through what, for which mode. */
    public String describe() {
        return "run now by " + actor + " via " + via + (mode == null ? "" : ", asked for " + mode);
    }

    private static String text(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("jobguard: a run-now request needs a " + name);
        }
        return value.strip();
    }
}
