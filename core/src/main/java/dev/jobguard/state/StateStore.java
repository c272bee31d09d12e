package dev.jobguard.state;

import dev.jobguard.GuardMode;
import dev.jobguard.RunOutcome;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where jobs' states and runs' records live, shared by every node of a cluster. Every node reads a job's state before
 * each run, so a change made on one node applies on all. Implementations must be thread-safe and must throw
 * {@link StateStoreException} when the store cannot be reached (the guard then fails closed: the job does not run).
 */
public interface StateStore {

    /** The job's state and the global switch, read in one round trip before every run. */
    JobStates read(String job);

    /**
     * Applies one change atomically. Versioned: concurrent changes from several nodes are applied one after the
     * other, none is lost, and each increments the version.
     *
     * @return the state after the change
     */
    JobState change(StateChange change);

    /** Every job with a stored state, by name (the global row left out). */
    List<JobState> jobs();

    /**
     * The names of every job the store knows, sorted: those with a stored state and those with recorded runs (a job
     * that only ever ran cleanly has no stored state). The global row is left out. By default, the names of {@link
     * #jobs()}.
     */
    default List<String> jobNames() {
        return jobs().stream().map(JobState::job).toList();
    }

    /** Records a run that has started (its outcome null: RUNNING). */
    void runStarted(RunRecord run);

    /** Records how a run ended, with its rows per table and operation. A run never started is inserted. */
    void runEnded(RunRecord run);

    /** The job's most recent runs, newest first. */
    List<RunRecord> runs(String job, int limit);

    /** The job's most recent runs with one outcome in one mode, newest first (a baseline's history). */
    List<RunRecord> runs(String job, RunOutcome outcome, GuardMode mode, int limit);

    /** One run, with its rows per table and operation. */
    Optional<RunRecord> run(String runId);

    /**
     * Marks the job's runs still RUNNING that started before {@code startedBefore} as {@link RunOutcome#ABANDONED}
     * (their node died or lost its connection), ending them at {@code now}.
     *
     * @return how many runs were marked
     */
    int abandonRuns(String job, Instant startedBefore, Instant now);

    /** A job's state together with the global switch. */
    record JobStates(JobState job, JobState global) {

        /** Whether the job may run: neither it nor the global switch is disabled. */
        public boolean runnable() {
            return !job.isDisabled() && !global.isDisabled();
        }
    }
}
