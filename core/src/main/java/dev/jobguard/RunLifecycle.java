package dev.jobguard;

import dev.jobguard.anomaly.AnomalyPolicy;
import dev.jobguard.anomaly.Baseline;
import dev.jobguard.anomaly.HistoryCache;
import dev.jobguard.internal.lock.LockNames;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.run.RunLimits;
import dev.jobguard.internal.run.TablePatterns;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.journal.RevertException;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.journal.RevertReport;
import dev.jobguard.lock.RunLock;
import dev.jobguard.metrics.GuardMetrics;
import dev.jobguard.notify.LoggingTripListener;
import dev.jobguard.notify.TripEvent;
import dev.jobguard.notify.TripListeners;
import dev.jobguard.state.JobState;
import dev.jobguard.state.JobStatus;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateChange;
import dev.jobguard.state.StateStore;
import dev.jobguard.state.StateStore.JobStates;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The flow of one guarded run: read the job's state (fail closed), take the lock, compute the limits from the policy
 * and the job's baseline, execute the job with its run bound to the thread, settle its transactions, record the run,
 * and on a trip disable the job, notify listeners and count it.
 */
final class RunLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobGuard.class);

    /** How often a job's baseline history is read again from the store (other nodes' runs join then). */
    static final Duration HISTORY_REFRESH = Duration.ofMinutes(1);

    /** How often a job looks for runs to mark ABANDONED. */
    static final Duration ABANDON_CHECK = Duration.ofMinutes(1);

    private final StateStore store;
    private final TablePatterns ignoredTables;
    private final Clock clock;
    private final String node;
    private final GuardMetrics metrics;
    private final RunLock lock;
    private final TripListeners listeners;
    private final LoggingTripListener tripLog = new LoggingTripListener();
    private final boolean enabled;
    private final Duration abandonAfter;
    private final Duration sandboxLockTimeout;
    private final HistoryCache history;
    private final ChangeJournal journal;
    private final SettingsWarnings warnings;
    private final RunObserver observer;
    /** The start of this node's latest run, to the millisecond: each run starts strictly later. */
    private final AtomicReference<Instant> lastStart = new AtomicReference<>(Instant.EPOCH);
    /** When each job last looked for abandoned runs: at most once a minute, not on every run. */
    private final Map<String, Instant> abandonCheckedAt = new ConcurrentHashMap<>();
    /**
     * Why each job was last skipped, until it runs again: a job skipped tick after tick for one reason (disabled, or
     * locked by another node) says so at INFO once, then at DEBUG.
     */
    private final Map<String, String> lastSkip = new ConcurrentHashMap<>();
    /**
     * Disables after a trip that the store refused, by job: stored when the job's state is next read on this node,
     * which does not let the job run until they are, unless an operator changed the job since the trip.
     */
    private final Map<String, StateChange> pendingDisables = new ConcurrentHashMap<>();
    /**
     * The ids of this node's run-now runs under way: a skip of one is recorded under its own id (the id its requester
     * was given), never counted into an earlier skip.
     */
    private final Set<String> requestedRuns = ConcurrentHashMap.newKeySet();

    RunLifecycle(
            StateStore store,
            TablePatterns ignoredTables,
            Clock clock,
            String node,
            GuardMetrics metrics,
            RunLock lock,
            TripListeners listeners,
            boolean enabled,
            Duration abandonAfter,
            Duration sandboxLockTimeout,
            ChangeJournal journal,
            RunObserver observer) {
        this.observer = observer;
        this.sandboxLockTimeout = sandboxLockTimeout;
        this.journal = journal;
        this.store = store;
        this.ignoredTables = ignoredTables;
        this.warnings = new SettingsWarnings(ignoredTables, journal);
        this.clock = clock;
        this.node = node;
        this.metrics = metrics;
        this.lock = lock;
        this.listeners = listeners;
        this.enabled = enabled;
        this.abandonAfter = abandonAfter;
        this.history = new HistoryCache(store, HISTORY_REFRESH);
    }

    RunReport run(GuardPolicy policy, GuardedTask task) {
        return run(policy, task, null);
    }

    /** @param request an operator's run-now request, or null for a scheduled run */
    RunReport run(GuardPolicy policy, GuardedTask task, RunRequest request) {
        String runId = request == null ? UUID.randomUUID().toString() : request.runId();
        return observer.observe(policy, runId, () -> observed(policy, task, request, runId));
    }

    private RunReport observed(GuardPolicy policy, GuardedTask task, RunRequest request, String runId) {
        Instant startedAt = nextStart();
        RunContext outer = RunContext.current();
        if (outer != null) {
            return nestedRunRefused(policy, runId, startedAt, outer);
        }
        if (request != null && !requestedRuns.add(runId)) {
            throw new IllegalArgumentException("jobguard: run id " + runId + " is already under way on this node");
        }
        try {
            return inMdc(policy.jobName(), runId, () -> {
                if (!enabled) {
                    return skipped(
                            policy,
                            runId,
                            startedAt,
                            requested("jobguard is switched off on this node (enabled=false)", request),
                            true);
                }
                Admission admission = admit(policy, runId, startedAt, request == null ? null : request.describe());
                if (admission.refused() != null) {
                    return admission.refused();
                }
                return locked(policy, admission.states(), task, runId, startedAt, request);
            });
        } finally {
            requestedRuns.remove(runId);
        }
    }

    /** A skip's reason, with who asked for the run when it was a run-now request. */
    private static String requested(String why, RunRequest request) {
        return request == null ? why : why + "; " + request.describe();
    }

    /** The policy with the operator's mode override, when one is pinned, then the mode a run-now request asks for. */
    private static GuardPolicy effective(GuardPolicy policy, JobStates states, RunRequest request) {
        GuardPolicy pinned = states.job().modeOverride() == null
                ? policy
                : policy.toBuilder().mode(states.job().modeOverride()).build();
        if (request == null || request.modeFor(pinned.mode()) == pinned.mode()) {
            return pinned;
        }
        return pinned.toBuilder().mode(request.modeFor(pinned.mode())).build();
    }

    /**
     * Decides, outside {@link #run}, whether an execution may start: reads the job's state and, when it does not let
     * the job run or cannot be read (fail closed), records and counts the refused execution as {@link #run} does a
     * skip; null when the job may run.
     */
    RunReport refuseUnlessRunnable(GuardPolicy policy, String refusedBy) {
        String runId = UUID.randomUUID().toString();
        Instant startedAt = nextStart();
        return observer.refused(
                policy,
                runId,
                inMdc(
                        policy.jobName(),
                        runId,
                        () -> admit(policy, runId, startedAt, refusedBy).refused()));
    }

    /** The job's states when they let it run, or its recorded and counted refusal. */
    private record Admission(JobStates states, RunReport refused) {}

    /**
     * Reads the job's state: the states when they let it run; else the SKIPPED run, recorded and counted (fail
     * closed, not recorded, when the state cannot be read).
     *
     * @param refusedBy what refuses the execution besides the guard, appended to the detail; null for none
     */
    private Admission admit(GuardPolicy policy, String runId, Instant startedAt, String refusedBy) {
        JobStates states;
        try {
            states = store.read(policy.jobName());
        } catch (RuntimeException unreadable) {
            return new Admission(null, failClosed(policy, runId, startedAt, "read the job's state", unreadable));
        }
        StateChange pending = pendingDisables.get(policy.jobName());
        if (pending != null) {
            try {
                states = storePendingDisable(states, pending);
            } catch (RuntimeException unwritable) {
                return new Admission(
                        null,
                        failClosed(
                                policy,
                                runId,
                                startedAt,
                                "store the disable of the job's earlier trip (" + pending.reason() + ")",
                                unwritable));
            }
        }
        metrics.disabled(policy.jobName(), states.job().isDisabled());
        if (states.runnable()) {
            return new Admission(states, null);
        }
        String why = refusedBy == null ? whyNotRunnable(states) : whyNotRunnable(states) + "; " + refusedBy;
        return new Admission(null, skipped(policy, runId, startedAt, why, true));
    }

    /**
     * Stores the disable that a trip on this node could not, unless the job is disabled already or changed after the
     * trip (an operator's word wins); the states after that.
     */
    private JobStates storePendingDisable(JobStates states, StateChange pending) {
        JobState job = states.job();
        boolean overtaken =
                job.isDisabled() || (job.changedAt() != null && job.changedAt().isAfter(pending.at()));
        if (!overtaken) {
            JobState stored = store.change(pending);
            log.warn(
                    "jobguard: job '{}' DISABLED now: the disable after its trip could not be stored then ({})",
                    pending.job(),
                    pending.reason());
            states = new JobStates(stored, states.global());
        }
        pendingDisables.remove(pending.job(), pending);
        return states;
    }

    private static RunReport inMdc(String job, String runId, Supplier<RunReport> body) {
        String previousJob = MDC.get(JobGuard.MDC_JOB);
        String previousRun = MDC.get(JobGuard.MDC_RUN);
        MDC.put(JobGuard.MDC_JOB, job);
        MDC.put(JobGuard.MDC_RUN, runId);
        try {
            return body.get();
        } finally {
            restore(JobGuard.MDC_JOB, previousJob);
            restore(JobGuard.MDC_RUN, previousRun);
        }
    }

    /**
     * Takes the job's lock, when one is configured, and executes the run. The state is read again once the lock is
     * held: the node that held it may have tripped and disabled the job (or an operator pinned a mode) since the read
     * that admitted this run.
     *
     * @param declared the policy as the caller gave it
     * @param states the job's states as the read that admitted this run found them
     */
    private RunReport locked(
            GuardPolicy declared,
            JobStates states,
            GuardedTask task,
            String runId,
            Instant startedAt,
            RunRequest request) {
        GuardPolicy policy = effective(declared, states, request);
        if (lock == null) {
            return execute(declared, states, task, runId, startedAt, request);
        }
        RunLock.Held held;
        try {
            held = lock.tryLock(LockNames.of(policy.jobName()), policy.lockAtMostFor(), startedAt);
        } catch (RuntimeException lockFailure) {
            return failClosed(policy, runId, startedAt, "take the job's lock", lockFailure);
        }
        if (held == null) {
            return skipped(
                    policy, runId, startedAt, requested("LOCKED: another node is running the job", request), true);
        }
        try {
            Admission current = admit(declared, runId, startedAt, request == null ? null : request.describe());
            if (current.refused() != null) {
                return current.refused();
            }
            return execute(declared, current.states(), task, runId, startedAt, request);
        } finally {
            try {
                held.unlock();
            } catch (RuntimeException unlockFailure) {
                log.warn(
                        "jobguard: job '{}': releasing its lock failed: {}",
                        policy.jobName(),
                        unlockFailure.toString());
            }
        }
    }

    /**
     * Executes an admitted run under the states that admitted it: their mode override, and failures in a row counted
     * from the job's last change (an operator's enable).
     */
    private RunReport execute(
            GuardPolicy declared,
            JobStates states,
            GuardedTask task,
            String runId,
            Instant startedAt,
            RunRequest request) {
        return execute(
                effective(declared, states, request),
                task,
                runId,
                startAfter(startedAt, states.job().changedAt()),
                states.job().changedAt(),
                request == null ? null : request.describe());
    }

    /**
     * The admitted run's start, made a millisecond later than the job's last change when it would share that
     * millisecond: the store keeps milliseconds, and failures in a row count only runs started after an operator's
     * enable, so a run admitted by the enable must not tie with it (nor with a run that ended just before it).
     */
    private Instant startAfter(Instant startedAt, Instant changedAt) {
        if (changedAt == null) {
            return startedAt;
        }
        Instant earliest = changedAt.truncatedTo(ChronoUnit.MILLIS).plusMillis(1);
        if (startedAt.isBefore(earliest)) {
            return lastStart.accumulateAndGet(
                    earliest, (last, candidate) -> candidate.isAfter(last) ? candidate : last.plusMillis(1));
        }
        return startedAt;
    }

    /** @param detail who asked for a run-now run, recorded with it; null for a scheduled run */
    @SuppressWarnings("try") // the resource is held open for the body, never read in it
    private RunReport execute(
            GuardPolicy policy, GuardedTask task, String runId, Instant startedAt, Instant enabledAt, String detail) {
        String job = policy.jobName();
        RunLimits limits;
        try {
            abandonStaleRuns(job, startedAt);
            limits = limits(policy, startedAt);
            store.runStarted(RunRecord.started(runId, job, node, policy.mode(), startedAt));
        } catch (RuntimeException storeFailure) {
            return failClosed(policy, runId, startedAt, "prepare the run", storeFailure);
        }
        warnings.check(policy);
        lastSkip.remove(job);
        RunContext run = new RunContext(runId, policy, limits, ignoredTables, journal, sandboxLockTimeout);
        Throwable failure = null;
        try (RunContext.Scope scope = run.attach()) {
            task.run();
        } catch (Throwable thrown) {
            failure = thrown;
        }
        boolean commit = failure == null && !run.isTripped() && !run.isDryRun();
        SQLException settling = run.finish(commit);
        if (settling != null) {
            if (failure == null) {
                failure = settling;
            } else {
                failure.addSuppressed(settling);
            }
        }
        RevertReport reverted = autoRevert(run);
        Instant endedAt = endOf(startedAt);
        RunReport report = report(run, failure, startedAt, endedAt, reverted, detail);
        recordEnd(report);
        afterRun(report, policy, enabledAt);
        if (failure instanceof VirtualMachineError fatal) {
            throw fatal;
        }
        return report;
    }

    private void abandonStaleRuns(String job, Instant now) {
        Instant last = abandonCheckedAt.get(job);
        if (last == null || !last.plus(ABANDON_CHECK).isAfter(now)) {
            store.abandonRuns(job, now.minus(abandonAfter), now);
            abandonCheckedAt.put(job, now);
        }
    }

    private RunLimits limits(GuardPolicy policy, Instant now) {
        RunLimits limits = RunLimits.from(policy);
        AnomalyPolicy anomaly = policy.anomaly();
        if (!anomaly.enabled()) {
            return limits;
        }
        List<RunRecord> recent = history.history(policy.jobName(), anomaly.history(), now);
        if (policy.journal() && journal.canRevert() && !recent.isEmpty()) {
            Set<String> reverted =
                    journal.reverted(recent.stream().map(RunRecord::runId).toList());
            recent = recent.stream()
                    .filter(run -> !reverted.contains(run.runId()))
                    .toList();
        }
        return recent.size() < anomaly.minRuns() ? limits : limits.withBaseline(Baseline.of(recent), anomaly);
    }

    /**
     * Reverts what a tripped enforcing run with {@code autoRevert} had committed before its trip (auto-commit writes,
     * each committed on its own). Conflicts are not forced; a failure is logged and reported.
     */
    private RevertReport autoRevert(RunContext run) {
        GuardPolicy policy = run.policy();
        if (!run.isTripped() || !policy.autoRevert() || run.journal() == null || policy.mode() != GuardMode.ENFORCE) {
            return null;
        }
        try {
            RevertReport report = journal.revert(
                    run.runId(),
                    RevertOptions.DEFAULTS
                            .withActor(actor())
                            .withReason(
                                    "auto-revert: run tripped: " + run.trip().describe()));
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
            Throwable failure,
            Instant startedAt,
            Instant endedAt,
            RevertReport reverted,
            String detail) {
        GuardPolicy policy = run.policy();
        List<Trip> wouldTrips = new ArrayList<>(run.wouldTrips());
        Trip trip = run.trip();
        RunOutcome outcome =
                trip != null ? RunOutcome.TRIPPED : failure != null ? RunOutcome.FAILED : RunOutcome.SUCCEEDED;
        Duration took = Duration.between(startedAt, endedAt);
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
                .times(startedAt, endedAt)
                .node(node)
                .baseline(run.limits().baseline())
                .journal(run.journalGaps(), reverted)
                .notPreflighted(run.notPreflighted())
                .detail(detail)
                .build();
    }

    private void afterRun(RunReport report, GuardPolicy policy, Instant enabledAt) {
        String job = report.jobName();
        Instant now = report.endedAt();
        Baseline baseline = report.baseline().orElse(null);
        if (report.outcome() == RunOutcome.TRIPPED) {
            Trip trip = report.trip().orElseThrow();
            boolean disable = report.mode() == GuardMode.ENFORCE;
            if (disable) {
                disableAfterTrip(job, report.runId(), trip.describe(baseline), now);
            }
            tripped(new TripEvent(job, report.runId(), node, report.mode(), trip, disable, now, baseline));
        } else if (report.outcome() == RunOutcome.FAILED && policy.maxConsecutiveFailures() > 0) {
            checkFailureStreak(report, policy, enabledAt, now);
        }
        for (Trip would : report.wouldTrips()) {
            tripped(new TripEvent(job, report.runId(), node, report.mode(), would, false, now, baseline));
        }
        metrics.run(report);
        logOutcome(report);
    }

    private void checkFailureStreak(RunReport report, GuardPolicy policy, Instant enabledAt, Instant now) {
        int max = policy.maxConsecutiveFailures();
        int failures;
        try {
            failures = FailureStreak.failuresBefore(store, report, max - 1, enabledAt);
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
        tripped(new TripEvent(report.jobName(), report.runId(), node, report.mode(), streak, disable, now));
    }

    private void disableAfterTrip(String job, String runId, String trip, Instant now) {
        StateChange disable = new StateChange(
                job, JobStatus.DISABLED, null, "tripped in run " + runId + ": " + trip, actor(), now, null, runId);
        try {
            JobState state = store.change(disable);
            pendingDisables.remove(job);
            metrics.disabled(job, state.isDisabled());
        } catch (RuntimeException storeFailure) {
            pendingDisables.put(job, disable);
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

    private void recordEnd(RunReport report) {
        try {
            RunRecord record = record(report);
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

    private RunRecord record(RunReport report) {
        return new RunRecord(
                report.runId(),
                report.jobName(),
                node,
                report.mode(),
                report.startedAt(),
                report.endedAt(),
                report.outcome(),
                report.trip().orElse(null),
                detail(report),
                report.rowsChanged(),
                report.rowCountIsLowerBound(),
                report.rowsByTable(),
                report.outcome() == RunOutcome.SKIPPED ? null : report.rowsCommitted(),
                report.outcome() == RunOutcome.SKIPPED ? null : report.rowsRolledBack());
    }

    /** The record's detail: why it was skipped or who asked for it, and what it failed with. */
    private static String detail(RunReport report) {
        String failure = report.failure().map(Throwable::toString).orElse(null);
        String detail = report.detail().orElse(null);
        return detail == null ? failure : failure == null ? detail : detail + "; failed: " + failure;
    }

    private RunReport skipped(GuardPolicy policy, String runId, Instant startedAt, String why, boolean record) {
        RunReport report = skipReport(policy, runId, startedAt, endOf(startedAt), why);
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
            if (requestedRuns.contains(report.runId())) {
                store.runEnded(record(report));
                return report.runId();
            }
            return store.runSkipped(record(report));
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

    private RunReport failClosed(
            GuardPolicy policy, String runId, Instant startedAt, String doing, RuntimeException failure) {
        metrics.stateStoreFailure(policy.jobName(), doing);
        log.error(
                "jobguard: job '{}' NOT RUN: could not {} ({}). jobguard fails closed: the job runs again once the"
                        + " state store (or lock) answers.",
                policy.jobName(),
                doing,
                failure.toString());
        return skipped(policy, runId, startedAt, "could not " + doing + ": " + failure.getMessage(), false);
    }

    private static String whyNotRunnable(JobStates states) {
        boolean global = states.global().isDisabled();
        JobState state = global ? states.global() : states.job();
        String which = global ? "all jobs are disabled" : "the job is DISABLED";
        return which + (state.disabledUntil() == null ? "" : " until " + state.disabledUntil()) + " (by "
                + state.actor() + " at " + state.changedAt() + ": " + state.reason() + ")";
    }

    private RunReport nestedRunRefused(GuardPolicy policy, String runId, Instant startedAt, RunContext outer) {
        IllegalStateException refused = new IllegalStateException("jobguard: job '" + policy.jobName()
                + "' was started inside the guarded run of job '" + outer.jobName() + "' on the same thread;"
                + " nested guarded runs are not supported. Call the inner job's logic without its guard, or"
                + " schedule it on its own.");
        log.error(refused.getMessage());
        return RunReport.builder(runId, policy.jobName())
                .mode(policy.mode(), policy.atomic())
                .outcome(RunOutcome.FAILED, null, refused)
                .times(startedAt, endOf(startedAt))
                .node(node)
                .build();
    }

    /**
     * The run's start: the clock's time, to the millisecond the store keeps, made later than this node's previous run.
     * Runs that follow each other within one millisecond would otherwise tie, and the job's history (failures in a
     * row, the baseline) is read newest first.
     */
    private Instant nextStart() {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        return lastStart.accumulateAndGet(
                now, (last, candidate) -> candidate.isAfter(last) ? candidate : last.plusMillis(1));
    }

    /** The clock's time, but never before the run's start (which may be a millisecond ahead of the clock). */
    private Instant endOf(Instant startedAt) {
        Instant now = clock.instant();
        return now.isBefore(startedAt) ? startedAt : now;
    }

    String actor() {
        return "jobguard@" + node;
    }

    private static void logOutcome(RunReport report) {
        switch (report.outcome()) {
            case TRIPPED -> log.debug("jobguard: {}", report.summary());
            case FAILED ->
                log.warn("jobguard: {}", report.summary(), report.failure().orElse(null));
            default -> {
                if (!report.wouldTrips().isEmpty()) {
                    log.warn("jobguard: {}", report.summary());
                } else {
                    log.info("jobguard: {}", report.summary());
                }
            }
        }
    }

    private static void restore(String key, String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
