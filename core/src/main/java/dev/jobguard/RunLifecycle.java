package dev.jobguard;

import dev.jobguard.RunAdmission.Admission;
import dev.jobguard.internal.lock.LockNames;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.run.RunEnvironment;
import dev.jobguard.internal.run.RunIds;
import dev.jobguard.internal.run.RunLimits;
import dev.jobguard.internal.run.RunMdc;
import dev.jobguard.lock.RunLock;
import dev.jobguard.state.StateStore.JobStates;
import java.time.Clock;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The flow of one guarded run: read the job's state (fail closed), take the lock, compute the limits from the policy
 * and the job's baseline, execute the job with its run bound to the thread, settle its transactions, record the run,
 * and on a trip disable the job, notify listeners and count it. The steps are its collaborators': {@link
 * RunAdmission} (may the job run), {@link SkippedRuns} (a run that does not execute), {@link RunPreparation} (before
 * the job starts), {@link RunCompletion} and {@link TripResponse} (after it ended).
 */
final class RunLifecycle {

    private static final Logger log = LoggerFactory.getLogger(JobGuard.class);

    private final GuardSettings settings;
    private final @Nullable RunLock lock;
    private final RunObserver observer;
    private final RunClock clock;
    private final RequestedRuns requestedRuns = new RequestedRuns();
    private final SkippedRuns skips;
    private final RunAdmission admission;
    private final RunPreparation preparation;
    private final RunCompletion completion;
    private final SettingsWarnings warnings;
    private final RunEnvironment environment;

    RunLifecycle(GuardSettings settings, Clock clock, RunStores stores, RunSignals signals) {
        this.settings = settings;
        this.lock = stores.lock();
        this.observer = signals.observer();
        this.clock = new RunClock(clock);
        this.skips = new SkippedRuns(stores.store(), signals.metrics(), settings.node(), this.clock, requestedRuns);
        PendingDisables pendingDisables = new PendingDisables(stores.store());
        this.admission = new RunAdmission(stores.store(), pendingDisables, signals.metrics(), skips);
        this.preparation = new RunPreparation(stores, settings);
        TripResponse trips =
                new TripResponse(stores.store(), pendingDisables, signals.metrics(), signals.listeners(), settings);
        this.completion = new RunCompletion(stores, signals.metrics(), trips, this.clock, settings);
        this.warnings = new SettingsWarnings(settings.ignoredTables(), stores.journal());
        this.environment =
                new RunEnvironment(settings.ignoredTables(), stores.journal().tables(), settings.sandboxLockTimeout());
    }

    RunReport run(GuardPolicy policy, GuardedTask task) {
        return run(policy, task, null);
    }

    /** @param request an operator's run-now request, or null for a scheduled run */
    RunReport run(GuardPolicy policy, GuardedTask task, @Nullable RunRequest request) {
        String runId = request == null ? RunIds.next() : request.runId();
        return observer.observe(policy, runId, () -> observed(policy, task, request, runId));
    }

    private RunReport observed(GuardPolicy policy, GuardedTask task, @Nullable RunRequest request, String runId) {
        RunAttempt attempt = new RunAttempt(policy, runId, clock.nextStart(), request);
        RunContext outer = RunContext.current();
        if (outer != null) {
            return skips.nested(attempt, outer);
        }
        if (request != null) {
            requestedRuns.begin(runId);
        }
        try {
            return inMdc(policy.jobName(), runId, () -> {
                if (!settings.enabled()) {
                    return skips.skipped(
                            attempt,
                            policy,
                            attempt.requested("jobguard is switched off on this node (enabled=false)"),
                            true);
                }
                Admission admitted = admission.admit(attempt, attempt.requestedBy());
                JobStates states = admitted.states();
                return states == null ? refused(admitted) : locked(attempt, states, task);
            });
        } finally {
            requestedRuns.end(runId);
        }
    }

    /**
     * Decides, outside {@link #run}, whether an execution may start: reads the job's state and, when it does not let
     * the job run or cannot be read (fail closed), records and counts the refused execution as {@link #run} does a
     * skip; null when the job may run.
     */
    @Nullable
    RunReport refuseUnlessRunnable(GuardPolicy policy, String refusedBy) {
        RunAttempt attempt = new RunAttempt(policy, RunIds.next(), clock.nextStart(), null);
        Admission admitted = inMdc(policy.jobName(), attempt.runId(), () -> admission.admit(attempt, refusedBy));
        return observer.refused(policy, attempt.runId(), admitted.refused());
    }

    /**
     * Takes the job's lock, when one is configured, and executes the run. The state is read again once the lock is
     * held: the node that held it may have tripped and disabled the job (or an operator pinned a mode) since the read
     * that admitted this run.
     *
     * @param states the job's states as the read that admitted this run found them
     */
    private RunReport locked(RunAttempt attempt, JobStates states, GuardedTask task) {
        GuardPolicy policy = attempt.effective(states);
        if (lock == null) {
            return execute(attempt, states, task);
        }
        RunLock.Held held;
        try {
            held = lock.tryLock(LockNames.of(policy.jobName()), policy.lockAtMostFor(), attempt.startedAt());
        } catch (RuntimeException lockFailure) {
            return skips.failClosed(attempt, policy, "take the job's lock", lockFailure);
        }
        if (held == null) {
            return skips.skipped(attempt, policy, attempt.requested("LOCKED: another node is running the job"), true);
        }
        try {
            Admission current = admission.admit(attempt, attempt.requestedBy());
            JobStates now = current.states();
            return now == null ? refused(current) : execute(attempt, now, task);
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
    @SuppressWarnings("try") // the resource is held open for the body, never read in it
    private RunReport execute(RunAttempt attempt, JobStates states, GuardedTask task) {
        AdmittedRun admitted = attempt.admitted(states, clock);
        GuardPolicy policy = admitted.policy();
        RunLimits limits;
        try {
            limits = preparation.prepare(admitted);
        } catch (RuntimeException storeFailure) {
            return skips.failClosed(attempt.startingAt(admitted.startedAt()), policy, "prepare the run", storeFailure);
        }
        warnings.check(policy);
        skips.ran(policy.jobName());
        RunContext run = new RunContext(admitted.runId(), policy, limits, environment);
        Throwable failure = null;
        try (RunContext.Scope scope = run.attach()) {
            task.run();
        } catch (Throwable thrown) {
            failure = thrown;
        }
        return completion.end(run, admitted, failure);
    }

    private static RunReport refused(Admission admission) {
        RunReport refused = admission.refused();
        if (refused == null) {
            throw new IllegalStateException("jobguard: an admission holds either the job's states or its refusal");
        }
        return refused;
    }

    @SuppressWarnings("try") // the resource is held open for the body, never read in it
    private static <T> T inMdc(String job, String runId, Supplier<T> body) {
        try (RunContext.Scope mdc = RunMdc.put(job, runId)) {
            return body.get();
        }
    }
}
