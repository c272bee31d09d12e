package dev.jobguard.state;

import dev.jobguard.GuardMode;
import dev.jobguard.RunOutcome;
import dev.jobguard.StatementSummary;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Where jobs' states and runs' records live, shared by every node of a cluster. Every node reads a job's state before
 * each run, so a change made on one node applies on all. Implementations must be thread-safe and must throw
 * {@link StateStoreException} when the store cannot be reached (the guard then fails closed: the job does not run).
 */
public interface StateStore {

    /** The job's state and the global switch, read in one round trip before every run. */
    JobStates read(String job);

    /**
     * Applies one change atomically, and appends it to the audit trail ({@link #history}) in the same transaction. Versioned: concurrent changes from several nodes are applied one after the
     * other, none is lost, and each increments the version.
     *
     * @return the state after the change
     */
    JobState change(StateChange change);

    /**
     * Every job with a stored state, by name (the global row left out). Like {@link #read}, enables again a job whose
     * time-boxed disable has ended.
     */
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

    /** How many statements of a run {@link #runEnded(RunRecord, List)} keeps: those that changed the most rows. */
    int MAX_STATEMENTS = 100;

    /**
     * Records how a run ended, with the write statements it ran (at most {@link #MAX_STATEMENTS}, most rows first), in
     * one transaction. By default the statements are not kept.
     */
    default void runEnded(RunRecord run, List<StatementSummary> statements) {
        runEnded(run);
    }

    /** The write statements recorded with the run's end, most rows first; empty when none were kept. */
    default List<StatementSummary> statements(String runId) {
        return List.of();
    }

    /** The statements a store keeps of a run: those that changed the most rows, at most {@link #MAX_STATEMENTS}. */
    static List<StatementSummary> kept(List<StatementSummary> statements) {
        List<StatementSummary> byRows = new java.util.ArrayList<>(statements);
        byRows.sort(java.util.Comparator.comparingLong(StatementSummary::rows).reversed());
        return List.copyOf(byRows.subList(0, Math.min(byRows.size(), MAX_STATEMENTS)));
    }

    /**
     * Records a run the guard skipped. When the job's newest record is a skip in the same mode for the same reason,
     * the skip is counted into it ({@link RunRecord#occurrences()} up by one, its end moved to this skip's): a
     * disabled job whose schedule ticks every few seconds adds one record, not one per tick.
     *
     * @return the id of the record the skip is in: its own, or the one it was counted into
     */
    String runSkipped(RunRecord run);

    /** The job's most recent runs, newest first. */
    List<RunRecord> runs(String job, int limit);

    /**
     * The job's most recent runs with one outcome in one mode, newest first (a baseline's history).
     *
     * @param outcome the outcome, or null for the runs still running
     */
    List<RunRecord> runs(String job, @Nullable RunOutcome outcome, GuardMode mode, int limit);

    /** One run, with its rows per table and operation. */
    Optional<RunRecord> run(String runId);

    /**
     * Marks the job's runs still RUNNING that started before {@code startedBefore} as {@link RunOutcome#ABANDONED}
     * (their node died or lost its connection), ending them at {@code now}.
     *
     * @return how many runs were marked
     */
    int abandonRuns(String job, Instant startedBefore, Instant now);

    /**
     * The audit trail, newest first: every change of the job's state (trips, operators' disables and enables, mode
     * pins, ends of time-boxed disables) and reverts of its runs.
     *
     * @param job the job, {@link JobState#GLOBAL} for the global switch, or null for every job and the switch
     */
    List<JobAction> history(@Nullable String job, int limit);

    /** Appends an action that changes no state (a revert) to the audit trail. */
    void append(JobAction action);

    /**
     * Deletes the records of ended runs that started before {@code olderThan} (runs still running are kept), and the
     * audit trail's entries from before it.
     */
    Purged purge(Instant olderThan);

    /** What {@link #purge} deleted. */
    record Purged(int runs, int actions) {}

    /** A job's state together with the global switch. */
    record JobStates(JobState job, JobState global) {

        /** Whether the job may run: neither it nor the global switch is disabled. */
        public boolean runnable() {
            return !job.isDisabled() && !global.isDisabled();
        }
    }
}
