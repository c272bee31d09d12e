package dev.jobguard;

import dev.jobguard.internal.metrics.GuardMetrics;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.state.StateStore;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs that do not execute: a skip (the job disabled, the guard switched off, the lock held elsewhere) is recorded,
 * counted and logged; a run refused because the store or the lock did not answer (fail closed) is counted and logged,
 * not recorded; a nested run is refused as FAILED.
 */
final class SkippedRuns {

    private static final Logger log = LoggerFactory.getLogger(JobGuard.class);

    private final StateStore store;
    private final GuardMetrics metrics;
    private final String node;
    private final RunClock clock;
    private final RequestedRuns requested;
    /**
     * Why each job was last skipped, until it runs again: a job skipped tick after tick for one reason (disabled, or
     * locked by another node) says so at INFO once, then at DEBUG.
     */
    private final Map<String, String> lastSkip = new ConcurrentHashMap<>();

    SkippedRuns(StateStore store, GuardMetrics metrics, String node, RunClock clock, RequestedRuns requested) {
        this.store = store;
        this.metrics = metrics;
        this.node = node;
        this.clock = clock;
        this.requested = requested;
    }

    /** The job runs: its next skip is said at INFO again. */
    void ran(String job) {
        lastSkip.remove(job);
    }

    /**
     * The SKIPPED run, counted and logged.
     *
     * @param policy the policy the report names the mode of
     * @param record whether it is recorded in the store too (not when the store failed)
     */
    RunReport skipped(RunAttempt attempt, GuardPolicy policy, String why, boolean record) {
        String runId = attempt.runId();
        Instant startedAt = attempt.startedAt();
        RunReport report = skipReport(policy, runId, startedAt, clock.endOf(startedAt), why);
        if (record) {
            String recordId = recordSkip(report);
            if (!recordId.equals(runId)) {
                report = skipReport(policy, recordId, report.startedAt(), report.endedAt(), why);
            }
        }
        metrics.run(report);
        if (why.equals(lastSkip.put(policy.jobName(), why))) {
            log.debug("jobguard: job '{}' skipped again: {}", policy.jobName(), why);
        } else {
            log.info("jobguard: job '{}' skipped: {}", policy.jobName(), why);
        }
        return report;
    }

    private RunReport skipReport(GuardPolicy policy, String runId, Instant startedAt, Instant endedAt, String why) {
        return RunReport.builder(runId, policy.jobName())
                .mode(policy.mode(), policy.atomic())
                .outcome(RunOutcome.SKIPPED, null, null)
                .times(startedAt, endedAt)
                .node(node)
                .detail(why)
                .build();
    }

    /**
     * Records the skip, counted into the job's newest record when that is a skip for the same reason (a run-now skip
     * keeps its own record); the id of the record that holds it (its own when it could not be recorded).
     */
    private String recordSkip(RunReport report) {
        try {
            if (requested.contains(report.runId())) {
                store.runEnded(RunRecords.of(report));
                return report.runId();
            }
            return store.runSkipped(RunRecords.of(report));
        } catch (RuntimeException storeFailure) {
            metrics.stateStoreFailure(report.jobName(), "record run");
            log.error(
                    "jobguard: job '{}': the skipped run could not be recorded in the state store ({}); outcome: {}",
                    report.jobName(),
                    storeFailure.toString(),
                    report.summary());
            return report.runId();
        }
    }

    /**
     * The run not run because the store or the lock did not answer: counted and logged, not recorded.
     *
     * @param doing what could not be done, for the log and the report's detail
     */
    RunReport failClosed(RunAttempt attempt, GuardPolicy policy, String doing, RuntimeException failure) {
        metrics.stateStoreFailure(policy.jobName(), doing);
        log.error(
                "jobguard: job '{}' NOT RUN: could not {} ({}). jobguard fails closed: the job runs again once the"
                        + " state store (or lock) answers.",
                policy.jobName(),
                doing,
                failure.toString());
        return skipped(attempt, policy, "could not " + doing + ": " + failure.getMessage(), false);
    }

    /** The FAILED run of a job started inside another guarded run on the same thread. */
    RunReport nested(RunAttempt attempt, RunContext outer) {
        GuardPolicy policy = attempt.declared();
        IllegalStateException refused = new IllegalStateException("jobguard: job '" + policy.jobName()
                + "' was started inside the guarded run of job '" + outer.jobName() + "' on the same thread;"
                + " nested guarded runs are not supported. Call the inner job's logic without its guard, or"
                + " schedule it on its own.");
        log.error(refused.getMessage());
        return RunReport.builder(attempt.runId(), policy.jobName())
                .mode(policy.mode(), policy.atomic())
                .outcome(RunOutcome.FAILED, null, refused)
                .times(attempt.startedAt(), clock.endOf(attempt.startedAt()))
                .node(node)
                .build();
    }
}
