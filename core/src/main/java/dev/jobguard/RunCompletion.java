package dev.jobguard;

import dev.jobguard.internal.anomaly.HistoryCache;
import dev.jobguard.internal.metrics.GuardMetrics;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.journal.RevertException;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.journal.RevertReport;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStore;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The end of a run whose job executed: settles its transactions, reverts a tripped run's commits when its policy
 * says so, builds its report (a run over its maximum duration trips or would trip then), records it, responds to its
 * trips, counts and logs it.
 */
final class RunCompletion {

    private static final Logger log = LoggerFactory.getLogger(JobGuard.class);

    private final StateStore store;
    private final ChangeJournal journal;
    private final HistoryCache history;
    private final GuardMetrics metrics;
    private final TripResponse trips;
    private final RunClock clock;
    private final GuardSettings settings;

    RunCompletion(RunStores stores, GuardMetrics metrics, TripResponse trips, RunClock clock, GuardSettings settings) {
        this.store = stores.store();
        this.journal = stores.journal();
        this.history = stores.history();
        this.metrics = metrics;
        this.trips = trips;
        this.clock = clock;
        this.settings = settings;
    }

    /**
     * Ends the run: commits what the guard owns when the job returned and the run neither tripped nor was a dry run,
     * else rolls it back; then reports, records, responds to trips, counts and logs.
     *
     * @param failure what the job threw, or null
     * @throws VirtualMachineError when the job threw one, once the run is recorded
     */
    RunReport end(RunContext run, AdmittedRun admitted, @Nullable Throwable failure) {
        boolean commit = failure == null && !run.isTripped() && !run.isDryRun();
        SQLException settling = run.finish(commit);
        Throwable failed = failure;
        if (settling != null) {
            if (failed == null) {
                failed = settling;
            } else {
                failed.addSuppressed(settling);
            }
        }
        RevertReport reverted = autoRevert(run);
        Instant endedAt = clock.endOf(admitted.startedAt());
        RunReport report = report(run, admitted, failed, endedAt, reverted);
        recordEnd(report);
        trips.afterRun(report, admitted);
        metrics.run(report);
        logOutcome(report);
        if (failed instanceof VirtualMachineError fatal) {
            throw fatal;
        }
        return report;
    }

    /**
     * Reverts what a tripped enforcing run with {@code autoRevert} had committed before its trip (auto-commit writes,
     * each committed on its own). Conflicts are not forced; a failure is logged and reported.
     */
    private @Nullable RevertReport autoRevert(RunContext run) {
        GuardPolicy policy = run.policy();
        Trip trip = run.trip();
        if (trip == null || !policy.autoRevert() || run.journal() == null || policy.mode() != GuardMode.ENFORCE) {
            return null;
        }
        try {
            RevertReport report = journal.revert(
                    run.runId(),
                    RevertOptions.DEFAULTS
                            .withActor(settings.actor())
                            .withReason("auto-revert: run tripped: " + trip.describe()));
            log.warn("jobguard: job '{}': {}", run.jobName(), report.summary());
            return report;
        } catch (RevertException nothing) {
            if (nothing.reason() == RevertException.Reason.NO_JOURNAL) {
                log.info("jobguard: job '{}': auto-revert: the run had committed nothing", run.jobName());
            } else {
                log.error("jobguard: job '{}': auto-revert FAILED: {}", run.jobName(), nothing.getMessage());
            }
            return null;
        } catch (RuntimeException failure) {
            log.error("jobguard: job '{}': auto-revert FAILED: {}", run.jobName(), failure.toString());
            return null;
        }
    }

    private RunReport report(
            RunContext run,
            AdmittedRun admitted,
            @Nullable Throwable failure,
            Instant endedAt,
            @Nullable RevertReport reverted) {
        GuardPolicy policy = run.policy();
        List<Trip> wouldTrips = new ArrayList<>(run.wouldTrips());
        Trip trip = run.trip();
        RunOutcome outcome =
                trip != null ? RunOutcome.TRIPPED : failure != null ? RunOutcome.FAILED : RunOutcome.SUCCEEDED;
        Duration took = Duration.between(admitted.startedAt(), endedAt);
        if (policy.maxDuration().isPresent()
                && took.compareTo(policy.maxDuration().get()) > 0) {
            Trip tooLong = new Trip(
                    TripReason.MAX_DURATION, policy.maxDuration().get().toMillis(), took.toMillis(), null, null);
            if (policy.tripOnMaxDuration() && policy.mode() == GuardMode.ENFORCE && outcome == RunOutcome.SUCCEEDED) {
                outcome = RunOutcome.TRIPPED;
                trip = tooLong;
            } else {
                wouldTrips.add(tooLong);
            }
        }
        return RunReport.builder(run.runId(), run.jobName())
                .mode(run.mode(), policy.atomic())
                .outcome(outcome, trip, failure)
                .counts(
                        run.rowsChanged(),
                        run.rowsByTable(),
                        run.statementSummaries(),
                        run.statementsExecuted(),
                        run.rowCountIsLowerBound())
                .kept(run.rowsCommitted(), run.rowsRolledBack())
                .wouldTrips(wouldTrips)
                .skippedSideEffects(run.skippedSideEffects())
                .times(admitted.startedAt(), endedAt)
                .node(settings.node())
                .baseline(run.limits().baseline())
                .journal(run.journalGaps(), reverted)
                .notPreflighted(run.notPreflighted())
                .detail(admitted.detail())
                .build();
    }

    private void recordEnd(RunReport report) {
        try {
            RunRecord record = RunRecords.of(report);
            store.runEnded(record, report.statements());
            history.recorded(record);
        } catch (RuntimeException storeFailure) {
            metrics.stateStoreFailure(report.jobName(), "record run");
            log.error(
                    "jobguard: job '{}': the run's record could not be written to the state store ({}); outcome: {}",
                    report.jobName(),
                    storeFailure.toString(),
                    report.summary());
        }
    }

    /** Logs the run's summary, built only when its level is on (a run's end is not the place for unused strings). */
    private static void logOutcome(RunReport report) {
        Level level = switch (report.outcome()) {
            case TRIPPED -> Level.DEBUG;
            case FAILED -> Level.WARN;
            default -> report.wouldTrips().isEmpty() ? Level.INFO : Level.WARN;
        };
        log.atLevel(level)
                .setCause(
                        report.outcome() == RunOutcome.FAILED ? report.failure().orElse(null) : null)
                .addArgument(report::summary)
                .log("jobguard: {}");
    }
}
