package dev.jobguard;

import dev.jobguard.internal.metrics.GuardMetrics;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.journal.RevertReport;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.JobAction;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStore;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An operator's revert of a run ({@link JobGuard#revert}) and its entry in the job's audit trail: committed with the
 * revert when the journal shares the state store's database, else appended once the revert committed.
 */
final class Reverts {

    private static final Logger log = LoggerFactory.getLogger(JobGuard.class);

    private final StateStore store;
    private final ChangeJournal journal;
    private final GuardMetrics metrics;
    private final Clock clock;

    Reverts(StateStore store, ChangeJournal journal, GuardMetrics metrics, Clock clock) {
        this.store = store;
        this.journal = journal;
        this.metrics = metrics;
        this.clock = clock;
    }

    /** See {@link JobGuard#revert}. */
    RevertReport revert(String runId, RevertOptions options) {
        Optional<String> job = journal.canRevert() ? jobOf(runId) : Optional.empty();
        if (job.isPresent() && store instanceof JdbcStateStore jdbc && journal.sharesDatabaseWith(jdbc)) {
            // the audit entry commits with the revert, or neither does
            return journal.revert(
                    runId,
                    options,
                    (connection, report) -> jdbc.append(connection, revertAction(job.get(), runId, options)));
        }
        RevertReport report = journal.revert(runId, options);
        if (job.isPresent() && report.applied() && !options.dryRun()) {
            appendRevert(job.get(), runId, options);
        }
        return report;
    }

    private Optional<String> jobOf(String runId) {
        try {
            return store.run(runId).map(RunRecord::job);
        } catch (RuntimeException unreadable) {
            log.warn(
                    "jobguard: run {}: its job could not be read, so its revert will not be in the audit trail: {}",
                    runId,
                    unreadable.toString());
            return Optional.empty();
        }
    }

    private JobAction revertAction(String job, String runId, RevertOptions options) {
        return new JobAction(
                job,
                JobAction.Kind.REVERTED,
                null,
                null,
                null,
                options.reason() == null ? "reverted run " + runId : options.reason(),
                options.actor(),
                clock.instant(),
                runId,
                null);
    }

    /**
     * Appends the revert to the job's audit trail after it committed, when the journal is in another database than
     * the state store; the revert stands even when that fails.
     */
    private void appendRevert(String job, String runId, RevertOptions options) {
        try {
            store.append(revertAction(job, runId, options));
        } catch (RuntimeException unrecorded) {
            metrics.stateStoreFailure(job, "record the revert in the audit trail");
            log.error(
                    "jobguard: run {} was reverted, but the revert could not be added to the audit trail: {}",
                    runId,
                    unrecorded.toString());
        }
    }
}
