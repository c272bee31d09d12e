package dev.jobguard;

import dev.jobguard.anomaly.Baseline;
import dev.jobguard.internal.metrics.GuardMetrics;
import dev.jobguard.internal.notify.TripListeners;
import dev.jobguard.notify.LoggingTripListener;
import dev.jobguard.notify.TripEvent;
import dev.jobguard.state.JobState;
import dev.jobguard.state.JobStatus;
import dev.jobguard.state.StateChange;
import dev.jobguard.state.StateStore;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What follows a run's trip, its would-trips and a failure that makes too many in a row: an enforcing run's job is
 * disabled in the store (kept pending when the store refuses), and every trip is counted, logged and published to the
 * listeners.
 */
final class TripResponse {

    private static final Logger log = LoggerFactory.getLogger(JobGuard.class);

    private final StateStore store;
    private final PendingDisables pendingDisables;
    private final GuardMetrics metrics;
    private final TripListeners listeners;
    private final GuardSettings settings;
    private final LoggingTripListener tripLog = new LoggingTripListener();

    TripResponse(
            StateStore store,
            PendingDisables pendingDisables,
            GuardMetrics metrics,
            TripListeners listeners,
            GuardSettings settings) {
        this.store = store;
        this.pendingDisables = pendingDisables;
        this.metrics = metrics;
        this.listeners = listeners;
        this.settings = settings;
    }

    /** Responds to the ended run's trip, or its failure that makes too many in a row, and to its would-trips. */
    void afterRun(RunReport report, AdmittedRun run) {
        String job = report.jobName();
        Instant now = report.endedAt();
        Baseline baseline = report.baseline().orElse(null);
        if (report.outcome() == RunOutcome.TRIPPED) {
            Trip trip = report.trip().orElseThrow();
            boolean disable = report.mode() == GuardMode.ENFORCE;
            if (disable) {
                disableAfterTrip(job, report.runId(), trip.describe(baseline), now);
            }
            tripped(new TripEvent(job, report.runId(), settings.node(), report.mode(), trip, disable, now, baseline));
        } else if (report.outcome() == RunOutcome.FAILED && run.policy().maxConsecutiveFailures() > 0) {
            checkFailureStreak(report, run, now);
        }
        for (Trip would : report.wouldTrips()) {
            tripped(new TripEvent(job, report.runId(), settings.node(), report.mode(), would, false, now, baseline));
        }
    }

    private void checkFailureStreak(RunReport report, AdmittedRun run, Instant now) {
        int max = run.policy().maxConsecutiveFailures();
        int failures;
        try {
            failures = FailureStreak.failuresBefore(store, report, max - 1, run.enabledAt());
        } catch (RuntimeException unreadable) {
            metrics.stateStoreFailure(report.jobName(), "read recent runs");
            log.error(
                    "jobguard: job '{}': could not read its recent runs to count failures in a row: {}",
                    report.jobName(),
                    unreadable.toString());
            return;
        }
        failures++; // this run
        if (failures < max) {
            return;
        }
        Trip streak = new Trip(TripReason.CONSECUTIVE_FAILURES, max, failures, null, null);
        boolean disable = report.mode() == GuardMode.ENFORCE;
        if (disable) {
            disableAfterTrip(report.jobName(), report.runId(), streak.describe(), now);
        }
        tripped(new TripEvent(report.jobName(), report.runId(), settings.node(), report.mode(), streak, disable, now));
    }

    private void disableAfterTrip(String job, String runId, String trip, Instant now) {
        StateChange disable = new StateChange(
                job,
                JobStatus.DISABLED,
                null,
                "tripped in run " + runId + ": " + trip,
                settings.actor(),
                now,
                null,
                runId);
        try {
            JobState state = store.change(disable);
            pendingDisables.stored(job);
            metrics.disabled(job, state.isDisabled());
        } catch (RuntimeException storeFailure) {
            pendingDisables.refused(disable);
            metrics.stateStoreFailure(job, "disable");
            log.error(
                    "jobguard: job '{}' tripped but could NOT be disabled in the state store ({}); this node stores"
                            + " the disable before the job's next run and does not run it until the store takes it",
                    job,
                    storeFailure.toString());
        }
    }

    private void tripped(TripEvent event) {
        metrics.trip(event.job(), event.trip().reason());
        tripLog.onTrip(event);
        listeners.publish(event);
    }
}
