package dev.jobguard;

import dev.jobguard.internal.metrics.GuardMetrics;
import dev.jobguard.internal.notify.TripListeners;
import dev.jobguard.internal.run.RunContext;
import dev.jobguard.internal.run.RunMdc;
import dev.jobguard.internal.run.TablePatterns;
import dev.jobguard.journal.ChangeJournal;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.journal.RevertReport;
import dev.jobguard.lock.RunLock;
import dev.jobguard.lock.ShedLockRunLock;
import dev.jobguard.notify.TripListener;
import dev.jobguard.observation.DefaultRunObservationConvention;
import dev.jobguard.observation.RunObservationConvention;
import dev.jobguard.state.InMemoryStateStore;
import dev.jobguard.state.JdbcStateStore;
import dev.jobguard.state.JobAction;
import dev.jobguard.state.JobState;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.observation.ObservationRegistry;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import net.javacrumbs.shedlock.core.LockProvider;
import org.jspecify.annotations.Nullable;

/**
 * Runs jobs under their {@link GuardPolicy} and lets operators stop and start them.
 *
 * <pre>{@code
 * JobGuard guard = JobGuard.builder()
 *         .stateStore(JdbcStateStore.create(pool))      // state in the same database; in memory when not set
 *         .meterRegistry(registry)                      // optional
 *         .observationRegistry(observations)            // optional: a jobguard.run observation (span) per run
 *         .lockProvider(shedLockProvider)               // optional
 *         .build();
 * RunReport report = guard.run(policy, () -> invoices.cancelOverdue(dataSource));
 * }</pre>
 *
 * <p>Every write the job makes through a {@link dev.jobguard.jdbc.GuardedDataSource} is counted against the policy's
 * limits and the job's baseline. {@link #run} never throws for what the job does: a failure, a trip or a skip is in
 * the report. A job that trips in ENFORCE mode is disabled in the state store, so every node skips it until an
 * operator enables it. Thread-safe; one instance serves every job of an application.
 */
public final class JobGuard implements AutoCloseable {

    /**
     * Tables never counted nor rolled back unless {@link Builder#replaceIgnoredTables} says otherwise: the guard's own
     * ({@code jobguard_*}), ShedLock's ({@code shedlock}), Quartz's ({@code qrtz_*}) and Spring Batch's job
     * repository's ({@code batch_*}).
     */
    public static final List<String> DEFAULT_IGNORED_TABLES = TablePatterns.DEFAULT_IGNORED;

    /** Runs left RUNNING longer than this by a node that died are marked ABANDONED. */
    public static final Duration DEFAULT_ABANDON_AFTER = Duration.ofHours(6);

    /**
     * The longest a connection of a dry or atomic run waits for a row lock before its statement fails; a run that
     * waits on its own uncommitted writes fails with a message naming both connections.
     */
    public static final Duration DEFAULT_SANDBOX_LOCK_TIMEOUT = RunContext.DEFAULT_SANDBOX_LOCK_TIMEOUT;

    /** MDC key holding the job name during a run. */
    public static final String MDC_JOB = RunMdc.JOB;
    /** MDC key holding the run id during a run. */
    public static final String MDC_RUN = RunMdc.RUN;

    private final StateStore store;
    private final Clock clock;
    private final TripListeners listeners;
    private final RunLifecycle lifecycle;
    private final ChangeJournal journal;
    private final GuardMetrics metrics;
    private final Retention retention;
    private final Reverts reverts;
    private final StateChanges changes;

    private JobGuard(Builder builder) {
        this.store = builder.store != null ? builder.store : new InMemoryStateStore();
        this.journal = builder.journal != null
                ? builder.journal
                : ChangeJournal.builderBeside(store).build();
        this.clock = builder.clock;
        this.listeners = TripListeners.of(builder.listeners);
        this.metrics = GuardMetrics.of(builder.meterRegistry, store);
        this.lifecycle = new RunLifecycle(
                new GuardSettings(
                        builder.node,
                        builder.enabled,
                        builder.abandonAfter,
                        builder.sandboxLockTimeout,
                        TablePatterns.of(builder.ignoredTablePatterns)),
                clock,
                RunStores.of(store, journal, builder.lock),
                new RunSignals(
                        metrics,
                        listeners,
                        new RunObserver(builder.observationRegistry, builder.observationConvention)));
        this.reverts = new Reverts(store, journal, metrics, clock);
        this.changes = new StateChanges(store, metrics, clock);
        this.retention = new Retention(
                store,
                journal,
                builder.lock,
                clock,
                new Retention.Periods(builder.retention, builder.journalRetention));
        retention.start();
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the task as one guarded run of the policy's job, on the calling thread, unless the job is disabled, the
     * guard is switched off, the lock is held elsewhere, or the state store cannot be read (then SKIPPED).
     *
     * @return what the run did; {@link RunOutcome#FAILED} with the exception when the task threw
     */
    public RunReport run(GuardPolicy policy, GuardedTask task) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(task, "task");
        return lifecycle.run(policy, task);
    }

    /**
     * Runs the task once now, outside its schedule, as an operator asked ("run now"): as {@link #run(GuardPolicy,
     * GuardedTask)} does (the same state checks and lock: a disabled job is SKIPPED), under the request's run id, in
     * the mode the request combines with the job's own (see {@link RunRequest}), with who asked in the run's detail.
     *
     * @throws IllegalArgumentException when a run with the request's id is under way on this node
     */
    public RunReport run(GuardPolicy policy, RunRequest request, GuardedTask task) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(request, "request");
        Objects.requireNonNull(task, "task");
        return lifecycle.run(policy, task, request);
    }

    /**
     * For scheduler adapters that decide before calling {@link #run} whether an execution may start (a Quartz veto):
     * reads the job's state and, when it does not let the job run, or cannot be read (fail closed), records and
     * counts the refused execution exactly as {@link #run} does a job it skips. Jobs call {@link #run}.
     *
     * @param refusedBy what refuses the execution, appended to the run's detail
     * @return the SKIPPED run, or empty when the job may run
     */
    public Optional<RunReport> refuseUnlessRunnable(GuardPolicy policy, String refusedBy) {
        Objects.requireNonNull(policy, "policy");
        return Optional.ofNullable(lifecycle.refuseUnlessRunnable(policy, requireText(refusedBy, "refusedBy")));
    }

    /** Disables a job on every node until an operator enables it. */
    public JobState disable(String job, String reason, String actor) {
        return changes.disable(job, null, reason, actor);
    }

    /**
     * Disables a job on every node until {@code until}: then the first node that reads its state enables it again,
     * recorded as done by {@value JobAction#SYSTEM_ACTOR} with this reason (nothing is lost on a restart: it is decided
     * when the state is read). An operator's enable before then ends it early.
     *
     * @param until when the job may run again; null for no end
     * @throws IllegalArgumentException when {@code until} is not in the future
     */
    public JobState disable(String job, String reason, String actor, Instant until) {
        return changes.disable(job, until, reason, actor);
    }

    /** Enables a job again, clearing any mode override. */
    public JobState enable(String job, String reason, String actor) {
        return changes.enable(job, null, reason, actor);
    }

    /** Enables a job with a mode pinned on its next runs (e.g. DRY_RUN to try a fix), without a redeploy. */
    public JobState enable(String job, String reason, String actor, GuardMode modeOverride) {
        return changes.enable(job, modeOverride, reason, actor);
    }

    /** Disables every guarded job on every node (the global switch). */
    public JobState disableAll(String reason, String actor) {
        return changes.disable(JobState.GLOBAL, null, reason, actor);
    }

    /** Turns the global switch back on; jobs disabled one by one stay disabled. */
    public JobState enableAll(String reason, String actor) {
        return changes.enable(JobState.GLOBAL, null, reason, actor);
    }

    /** The job's state and the global switch. */
    public StateStore.JobStates state(String job) {
        return store.read(requireText(job, "job"));
    }

    /** Every job with a stored state. */
    public List<JobState> jobs() {
        return store.jobs();
    }

    /**
     * Every job the state store knows, by name: those with a stored state, and those that only ran (their state the
     * {@link JobState#initial initial} one: enabled, no override). For operators' listings; {@link #jobs()} reads less.
     */
    public List<JobState> knownJobs() {
        Map<String, JobState> stored = new HashMap<>();
        for (JobState state : store.jobs()) {
            stored.put(state.job(), state);
        }
        List<JobState> known = new ArrayList<>();
        for (String name : store.jobNames()) {
            known.add(stored.getOrDefault(name, JobState.initial(name)));
        }
        return known;
    }

    /** The job's most recent runs, newest first. */
    public List<RunRecord> runs(String job, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("jobguard: runs(" + job + ", " + limit + "): limit must be >= 1");
        }
        return store.runs(requireText(job, "job"), limit);
    }

    /**
     * The audit trail, newest first: trips, operators' disables, enables and mode pins, ends of time-boxed disables,
     * reverts.
     *
     * @param job the job, {@link JobState#GLOBAL} for the global switch, or null for all
     */
    public List<JobAction> history(@Nullable String job, int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("jobguard: history(" + job + ", " + limit + "): limit must be >= 1");
        }
        return store.history(job == null ? null : requireText(job, "job"), limit);
    }

    /**
     * Deletes, now, the run records and audit entries that started before {@code olderThan}, and the change journal
     * written before it. The periodic purge ({@link Builder#retention}) does the same on its own.
     */
    public Retention.Purge purge(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        return Retention.purge(store, journal, olderThan, olderThan);
    }

    /**
     * Purges now what the configured retention ({@link Builder#retention}, {@link Builder#journalRetention}) lets go,
     * as the hourly purge does: under the purge lock when a lock provider is set.
     *
     * @return what was purged, or null when another node holds the purge lock
     */
    public Retention.@Nullable Purge purgeExpired() {
        return retention.purgeNow();
    }

    /** One run. */
    public Optional<RunRecord> run(String runId) {
        return store.run(requireText(runId, "runId"));
    }

    /**
     * Puts back what a run changed, from its change journal (runs of jobs with {@code journal = true}): in one
     * transaction, rows it inserted are deleted, rows it updated restored, rows it deleted inserted again. Rows
     * changed since the run are never overwritten; they stop the revert unless {@code options.force()}.
     *
     * @throws dev.jobguard.journal.RevertException when the run has no journal, was reverted already, is itself a
     *     revert, or applying failed (nothing applied)
     */
    public RevertReport revert(String runId, RevertOptions options) {
        String id = requireText(runId, "runId");
        Objects.requireNonNull(options, "options");
        return reverts.revert(id, options);
    }

    /** The change journal this guard's runs write to. */
    public ChangeJournal changeJournal() {
        return journal;
    }

    /** The state store this guard uses. */
    public StateStore stateStore() {
        return store;
    }

    /** Stops the trip listeners' thread after delivering what is queued. */
    @Override
    public void close() {
        retention.close();
        listeners.close();
    }

    static String requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("jobguard: " + name + " must not be blank");
        }
        return value.strip();
    }

    /** Builds a {@link JobGuard}. */
    public static final class Builder {
        private @Nullable StateStore store;
        private @Nullable MeterRegistry meterRegistry;
        private ObservationRegistry observationRegistry = ObservationRegistry.NOOP;
        private @Nullable RunObservationConvention observationConvention;
        private @Nullable RunLock lock;
        private final List<TripListener> listeners = new ArrayList<>();
        private final List<String> ignoredTablePatterns = new ArrayList<>(DEFAULT_IGNORED_TABLES);
        private Clock clock = Clock.systemUTC();
        private String node = defaultNode();
        private boolean enabled = true;
        private Duration abandonAfter = DEFAULT_ABANDON_AFTER;
        private Duration sandboxLockTimeout = DEFAULT_SANDBOX_LOCK_TIMEOUT;
        private @Nullable ChangeJournal journal;
        private @Nullable Duration retention;
        private @Nullable Duration journalRetention;

        private Builder() {}

        /**
         * Purges, every hour on one node (the one holding lock {@value Retention#LOCK_NAME} when a lock provider is
         * set), the run records and audit entries older than this ({@link Retention#DEFAULT_RETENTION} is what the
         * Spring adapter sets); none when not set.
         */
        public Builder retention(Duration retention) {
            this.retention = Retention.check(Objects.requireNonNull(retention, "retention"), "retention");
            return this;
        }

        /** Purges, with {@link #retention}, the change journal older than this: such runs can no longer be reverted. */
        public Builder journalRetention(Duration journalRetention) {
            this.journalRetention =
                    Retention.check(Objects.requireNonNull(journalRetention, "journalRetention"), "journalRetention");
            return this;
        }

        /**
         * Where journaling runs record their changes and reverts read them; when not set,
         * {@link ChangeJournal#builderBeside the journal beside the state store} (in a {@link JdbcStateStore}'s
         * database; with any other store, runs still record, but {@link JobGuard#revert} needs this set).
         */
        public Builder changeJournal(ChangeJournal journal) {
            this.journal = Objects.requireNonNull(journal, "changeJournal");
            return this;
        }

        /** Where job states and run records live; an {@link InMemoryStateStore} (one node only) when not set. */
        public Builder stateStore(StateStore store) {
            this.store = Objects.requireNonNull(store, "stateStore");
            return this;
        }

        /** Where the guard's meters go; none when not set. */
        public Builder meterRegistry(MeterRegistry registry) {
            this.meterRegistry = Objects.requireNonNull(registry, "meterRegistry");
            return this;
        }

        /**
         * Where each run's {@code jobguard.run} observation goes ({@link
         * dev.jobguard.observation.JobGuardObservation#RUN}): with tracing, one span per run, the job's JDBC spans
         * under it. {@link ObservationRegistry#NOOP} when not set.
         */
        public Builder observationRegistry(ObservationRegistry registry) {
            this.observationRegistry = Objects.requireNonNull(registry, "observationRegistry");
            return this;
        }

        /** Names the runs' observations and their key values; {@link DefaultRunObservationConvention} when not set. */
        public Builder observationConvention(RunObservationConvention convention) {
            this.observationConvention = Objects.requireNonNull(convention, "observationConvention");
            return this;
        }

        /** ShedLock's provider: each run takes lock {@code jobguard-<job>}; a run whose lock is held is SKIPPED. */
        public Builder lockProvider(LockProvider provider) {
            this.lock = new ShedLockRunLock(provider);
            return this;
        }

        /** Adds listeners told of every trip. Trips are always logged, listeners or not. */
        public Builder listeners(TripListener... listeners) {
            for (TripListener listener : listeners) {
                this.listeners.add(Objects.requireNonNull(listener, "listener"));
            }
            return this;
        }

        /**
         * Adds tables the guard never counts nor rolls back to {@link #DEFAULT_IGNORED_TABLES} (and to patterns added
         * before): names, or prefixes ending in {@code *}, compared case-insensitively with the table's name without
         * its schema. To drop a default, use {@link #replaceIgnoredTables}.
         *
         * @throws IllegalArgumentException naming a pattern that is not a name or a prefix followed by {@code *}
         */
        public Builder ignoredTables(Collection<String> patterns) {
            ignoredTablePatterns.addAll(TablePatterns.of(List.copyOf(patterns)).patterns());
            return this;
        }

        /**
         * Replaces every ignored table, {@link #DEFAULT_IGNORED_TABLES} included, with these patterns: the tables they
         * leave out (e.g. {@code batch_*}) are counted and rolled back like the job's own. Keep {@code jobguard_*}
         * unless the state store lives in another database.
         *
         * @throws IllegalArgumentException naming a pattern that is not a name or a prefix followed by {@code *}
         */
        public Builder replaceIgnoredTables(Collection<String> patterns) {
            List<String> valid = TablePatterns.of(List.copyOf(patterns)).patterns();
            ignoredTablePatterns.clear();
            ignoredTablePatterns.addAll(valid);
            return this;
        }

        /** The name this node records on its runs and trips; the host name when not set. */
        public Builder nodeName(String node) {
            this.node = requireText(node, "nodeName");
            return this;
        }

        /** False switches the guard off on this node: every guarded job is skipped (never run unguarded). */
        public Builder enabled(boolean enabled) {
            this.enabled = enabled;
            return this;
        }

        /** How long a run may stay RUNNING before another run of the job marks it ABANDONED. */
        public Builder abandonAfter(Duration abandonAfter) {
            if (abandonAfter == null || abandonAfter.isZero() || abandonAfter.isNegative()) {
                throw new IllegalArgumentException(
                        "jobguard: invalid abandonAfter (" + abandonAfter + "): use a positive duration, e.g. PT6H");
            }
            this.abandonAfter = abandonAfter;
            return this;
        }

        /**
         * The longest a statement of a dry or atomic run waits for a lock ({@link #DEFAULT_SANDBOX_LOCK_TIMEOUT}).
         * Such a run keeps its writes uncommitted until it ends, so a second connection of the run that needs the
         * same rows would wait forever: it fails after this time instead, naming both connections. Set on the run's
         * connections as PostgreSQL {@code lock_timeout}, MariaDB/MySQL {@code innodb_lock_wait_timeout} (whole
         * seconds, rounded up) or H2 {@code LOCK_TIMEOUT}, only where the connection's own is longer, and restored
         * when the run ends.
         */
        public Builder sandboxLockTimeout(Duration timeout) {
            if (timeout == null
                    || timeout.isZero()
                    || timeout.isNegative()
                    || timeout.compareTo(Duration.ofDays(1)) > 0) {
                throw new IllegalArgumentException("jobguard: invalid sandboxLockTimeout (" + timeout
                        + "): use a positive duration of at most a day, e.g. PT5S");
            }
            this.sandboxLockTimeout = timeout;
            return this;
        }

        /** The clock for run times (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public JobGuard build() {
            return new JobGuard(this);
        }

        private static String defaultNode() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (Exception unknown) {
                return "unknown-host";
            }
        }
    }
}
