package dev.jobguard.state;

import dev.jobguard.GuardMode;
import dev.jobguard.RunOutcome;
import dev.jobguard.StatementSummary;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableSet;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A {@link StateStore} in this JVM's memory: the default of {@code JobGuard.builder().build()}, and the store for
 * tests. Its state is lost on restart and not shared with other nodes, so a cluster needs {@link JdbcStateStore}.
 * Keeps the {@value #DEFAULT_MAX_RUNS_PER_JOB} most recent runs of each job unless told otherwise. Instants are kept to
 * the millisecond, as {@link JdbcStateStore} keeps them. Thread-safe.
 */
public final class InMemoryStateStore implements StateStore {

    /** How many runs per job the store keeps by default; older ones are dropped. */
    public static final int DEFAULT_MAX_RUNS_PER_JOB = 1000;

    /**
     * Newest first; ties by run id. Written out rather than composed from {@code Comparator.comparing}: a run stores
     * its record twice, each a dozen comparisons, mostly before the JIT has compiled them.
     */
    private static final Comparator<RunRecord> NEWEST_FIRST = (a, b) -> {
        int byStart = b.startedAt().compareTo(a.startedAt());
        return byStart != 0 ? byStart : a.runId().compareTo(b.runId());
    };

    /** How many entries of the audit trail the store keeps; older ones are dropped. */
    public static final int MAX_ACTIONS = 10_000;

    private final int maxRunsPerJob;
    private final Clock clock;
    private final ConcurrentHashMap<String, JobState> states = new ConcurrentHashMap<>();
    private final Deque<JobAction> actions = new ArrayDeque<>(); // newest first, guarded by itself
    private final Object runsLock = new Object();
    private final Map<String, RunRecord> runsById = new HashMap<>();
    private final Map<String, NavigableSet<RunRecord>> runsByJob = new HashMap<>();
    private final Map<String, List<StatementSummary>> statementsByRun = new HashMap<>();

    /** A store that keeps {@value #DEFAULT_MAX_RUNS_PER_JOB} runs per job. */
    public InMemoryStateStore() {
        this(DEFAULT_MAX_RUNS_PER_JOB);
    }

    /** A store that keeps the given number of most recent runs per job. */
    public InMemoryStateStore(int maxRunsPerJob) {
        this(maxRunsPerJob, Clock.systemUTC());
    }

    /**
     * A store that keeps the given number of most recent runs per job, and decides with the clock when a time-boxed
     * disable has ended.
     */
    public InMemoryStateStore(int maxRunsPerJob, Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
        if (maxRunsPerJob < 1) {
            throw new IllegalArgumentException("maxRunsPerJob must be at least 1: " + maxRunsPerJob);
        }
        this.maxRunsPerJob = maxRunsPerJob;
    }

    @Override
    public JobStates read(String job) {
        Objects.requireNonNull(job, "job");
        return new JobStates(stateOf(job), stateOf(JobState.GLOBAL));
    }

    private JobState stateOf(String job) {
        JobState state = states.get(job);
        return state == null ? JobState.initial(job) : current(state);
    }

    /** The state, or the state after jobguard enabled it again at the end of its time-boxed disable. */
    private JobState current(JobState state) {
        Instant now = StoreRows.millis(clock.instant());
        if (!state.disableExpired(now)) {
            return state;
        }
        return states.compute(state.job(), (job, old) -> {
            if (old == null || !old.disableExpired(now)) {
                return old;
            }
            addAction(new JobAction(
                    job,
                    JobAction.Kind.EXPIRED,
                    JobStatus.DISABLED,
                    JobStatus.ENABLED,
                    null,
                    old.reason(),
                    JobAction.SYSTEM_ACTOR,
                    now,
                    null,
                    old.disabledUntil()));
            return new JobState(
                    job, JobStatus.ENABLED, null, old.reason(), JobAction.SYSTEM_ACTOR, now, old.version() + 1, null);
        });
    }

    @Override
    public JobState change(StateChange change) {
        Objects.requireNonNull(change, "change");
        return states.compute(change.job(), (job, old) -> {
            addAction(change.action(old == null ? null : old.status()));
            return StoreRows.stateAfter(change, (old == null ? 0 : old.version()) + 1);
        });
    }

    private void addAction(JobAction action) {
        JobAction stored = new JobAction(
                action.job(),
                action.kind(),
                action.fromStatus(),
                action.toStatus(),
                action.mode(),
                StoreRows.cutOrNull(action.reason(), StoreRows.MAX_REASON_LENGTH),
                StoreRows.cut(action.actor(), StoreRows.MAX_ACTOR_LENGTH),
                StoreRows.millis(action.at()),
                action.runId(),
                StoreRows.millisOrNull(action.until()));
        synchronized (actions) {
            actions.addFirst(stored);
            while (actions.size() > MAX_ACTIONS) {
                actions.removeLast();
            }
        }
    }

    @Override
    public List<JobAction> history(@Nullable String job, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        synchronized (actions) {
            return actions.stream()
                    .filter(action -> job == null || action.job().equals(job))
                    .sorted(Comparator.comparing(JobAction::at).reversed()) // stable: ties stay newest first
                    .limit(limit)
                    .toList();
        }
    }

    @Override
    public void append(JobAction action) {
        addAction(Objects.requireNonNull(action, "action"));
    }

    @Override
    public Purged purge(Instant olderThan) {
        Objects.requireNonNull(olderThan, "olderThan");
        int purgedRuns = 0;
        synchronized (runsLock) {
            for (RunRecord run : List.copyOf(runsById.values())) {
                if (!run.running() && run.startedAt().isBefore(olderThan)) {
                    runsById.remove(run.runId());
                    statementsByRun.remove(run.runId());
                    remove(run);
                    purgedRuns++;
                }
            }
        }
        int purgedActions;
        synchronized (actions) {
            int before = actions.size();
            actions.removeIf(action -> action.at().isBefore(olderThan));
            purgedActions = before - actions.size();
        }
        return new Purged(purgedRuns, purgedActions);
    }

    @Override
    public List<JobState> jobs() {
        return states.values().stream()
                .filter(state -> !state.job().equals(JobState.GLOBAL))
                .map(this::current)
                .sorted(Comparator.comparing(JobState::job))
                .toList();
    }

    @Override
    public List<String> jobNames() {
        TreeSet<String> names = new TreeSet<>(states.keySet());
        synchronized (runsLock) {
            names.addAll(runsByJob.keySet());
        }
        names.remove(JobState.GLOBAL);
        return List.copyOf(names);
    }

    @Override
    public void runStarted(RunRecord run) {
        store(Objects.requireNonNull(run, "run"));
    }

    @Override
    public void runEnded(RunRecord run) {
        runEnded(run, List.of());
    }

    @Override
    public void runEnded(RunRecord run, List<StatementSummary> statements) {
        Objects.requireNonNull(statements, "statements");
        synchronized (runsLock) {
            store(Objects.requireNonNull(run, "run"));
            if (runsById.containsKey(run.runId())) {
                statementsByRun.put(run.runId(), StateStore.kept(statements));
            }
        }
    }

    @Override
    public List<StatementSummary> statements(String runId) {
        synchronized (runsLock) {
            return statementsByRun.getOrDefault(Objects.requireNonNull(runId, "runId"), List.of());
        }
    }

    @Override
    public String runSkipped(RunRecord run) {
        Objects.requireNonNull(run, "run");
        synchronized (runsLock) {
            NavigableSet<RunRecord> runs = runsByJob.get(run.job());
            RunRecord newest = runs == null || runs.isEmpty() ? null : runs.first();
            if (newest != null
                    && newest.outcome() == RunOutcome.SKIPPED
                    && newest.mode() == run.mode()
                    && Objects.equals(newest.detail(), run.detail())) {
                store(new RunRecord(
                        newest.runId(),
                        newest.job(),
                        newest.node(),
                        newest.mode(),
                        newest.startedAt(),
                        run.endedAt(),
                        newest.outcome(),
                        null,
                        newest.detail(),
                        0,
                        false,
                        Map.of(),
                        null,
                        null,
                        newest.occurrences() + 1));
                return newest.runId();
            }
            store(run);
            return run.runId();
        }
    }

    private void store(RunRecord given) {
        RunRecord run = inMillis(given);
        synchronized (runsLock) {
            remove(runsById.put(run.runId(), run));
            NavigableSet<RunRecord> runs = runsByJob.computeIfAbsent(run.job(), job -> new TreeSet<>(NEWEST_FIRST));
            runs.add(run);
            while (runs.size() > maxRunsPerJob) {
                String dropped = runs.pollLast().runId();
                runsById.remove(dropped);
                statementsByRun.remove(dropped);
            }
        }
    }

    private void remove(RunRecord replaced) {
        if (replaced != null) {
            NavigableSet<RunRecord> runs = runsByJob.get(replaced.job());
            if (runs != null) {
                runs.remove(replaced);
            }
        }
    }

    @Override
    public List<RunRecord> runs(String job, int limit) {
        Objects.requireNonNull(job, "job");
        return runs(job, run -> true, limit);
    }

    @Override
    public List<RunRecord> runs(String job, @Nullable RunOutcome outcome, GuardMode mode, int limit) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(mode, "mode");
        return runs(job, run -> run.outcome() == outcome && run.mode() == mode, limit);
    }

    private List<RunRecord> runs(String job, Predicate<RunRecord> filter, int limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must not be negative: " + limit);
        }
        List<RunRecord> found = new ArrayList<>();
        synchronized (runsLock) {
            for (RunRecord run : runsByJob.getOrDefault(job, new TreeSet<>(NEWEST_FIRST))) {
                if (found.size() == limit) {
                    break;
                }
                if (filter.test(run)) {
                    found.add(run);
                }
            }
        }
        return found;
    }

    @Override
    public Optional<RunRecord> run(String runId) {
        Objects.requireNonNull(runId, "runId");
        synchronized (runsLock) {
            return Optional.ofNullable(runsById.get(runId));
        }
    }

    @Override
    public int abandonRuns(String job, Instant startedBefore, Instant now) {
        Objects.requireNonNull(job, "job");
        Objects.requireNonNull(startedBefore, "startedBefore");
        Objects.requireNonNull(now, "now");
        synchronized (runsLock) {
            List<RunRecord> abandoned =
                    runs(job, run -> run.running() && run.startedAt().isBefore(startedBefore), Integer.MAX_VALUE);
            for (RunRecord run : abandoned) {
                store(new RunRecord(
                        run.runId(),
                        run.job(),
                        run.node(),
                        run.mode(),
                        run.startedAt(),
                        now,
                        RunOutcome.ABANDONED,
                        run.trip(),
                        AbandonedRuns.detail(run.node()),
                        run.rowsChanged(),
                        run.rowCountIsLowerBound(),
                        run.rowsByTable(),
                        run.rowsCommitted(),
                        run.rowsRolledBack()));
            }
            return abandoned.size();
        }
    }

    private static RunRecord inMillis(RunRecord run) {
        Instant ended = run.endedAt();
        if (wholeMillis(run.startedAt()) && (ended == null || wholeMillis(ended))) {
            return run; // already to the millisecond (a guarded run's clock ticks in milliseconds)
        }
        return new RunRecord(
                run.runId(),
                run.job(),
                run.node(),
                run.mode(),
                StoreRows.millis(run.startedAt()),
                StoreRows.millisOrNull(run.endedAt()),
                run.outcome(),
                run.trip(),
                run.detail(),
                run.rowsChanged(),
                run.rowCountIsLowerBound(),
                run.rowsByTable(),
                run.rowsCommitted(),
                run.rowsRolledBack(),
                run.occurrences());
    }

    @SuppressWarnings("JavaInstantGetSecondsGetNano") // the fraction of the second is what is asked
    private static boolean wholeMillis(Instant instant) {
        return instant.getNano() % 1_000_000 == 0;
    }
}
