package dev.jobguard.internal.metrics;

import dev.jobguard.GuardMode;
import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.Trip;
import dev.jobguard.TripReason;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The guard's Micrometer meters. Names and tags are part of jobguard's contract. */
public final class GuardMetrics {

    /** Counter of runs; tags {@code job}, {@code outcome}, {@code mode}. */
    public static final String RUNS = "jobguard.runs";
    /**
     * Counter of rows changed by runs whose writes were kept (not dry runs, not runs tripped by a row limit, not failed
     * atomic runs; a run tripped by {@code maxDuration} committed before it was timed); tags {@code job}, {@code
     * table}, {@code operation}.
     */
    public static final String ROWS_CHANGED = "jobguard.rows.changed";
    /**
     * Counter of rows whose transaction committed, whatever the run's outcome (a tripped run keeps what it had
     * committed before the trip); tag {@code job}.
     */
    public static final String ROWS_COMMITTED = "jobguard.rows.committed";
    /** Counter of rows that were rolled back: by a trip, a dry run, the job, a failure; tag {@code job}. */
    public static final String ROWS_ROLLED_BACK = "jobguard.rows.rolledback";
    /** Counter of trips (in OBSERVE: would-trips); tags {@code job}, {@code reason}. */
    public static final String TRIPS = "jobguard.trips";
    /** Gauge, 1 while the job is disabled; tag {@code job}. */
    public static final String JOB_DISABLED = "jobguard.job.disabled";
    /** Timer of run durations; tag {@code job}. */
    public static final String RUN_DURATION = "jobguard.run.duration";
    /**
     * Gauge, the time the job's last live run (ENFORCE or OBSERVE; a dry run's writes are rolled back) SUCCEEDED, in
     * seconds since the epoch (Prometheus: {@code jobguard_job_last_success_seconds}); tag {@code job}. Registered at
     * the job's first run on this node, and read from the state store's runs once the store answers for the job, until
     * this node sees a success; NaN while none is known. Each node has its own: take the newest ({@code max by (job)}),
     * as a node that only skips (lock held elsewhere) keeps the time it read at its first run.
     */
    public static final String JOB_LAST_SUCCESS = "jobguard.job.last.success";
    /** Counter of state store failures (a job not run, a run not recorded); tags {@code job}, {@code operation}. */
    public static final String STATE_ERRORS = "jobguard.state.errors";

    private static final Logger log = LoggerFactory.getLogger(GuardMetrics.class);

    /** How long a job's last success is not read from the store again after the store failed to answer. */
    static final Duration SEED_RETRY = Duration.ofMinutes(1);

    private static final GuardMetrics NONE = new GuardMetrics(null, null);

    private final @Nullable MeterRegistry registry;
    private final @Nullable StateStore store;
    private final Map<String, AtomicInteger> disabled = new ConcurrentHashMap<>();
    private final Map<String, LastSuccess> lastSuccess = new ConcurrentHashMap<>();

    private GuardMetrics(@Nullable MeterRegistry registry, @Nullable StateStore store) {
        this.registry = registry;
        this.store = store;
    }

    /** Meters on a registry, or none when it is null; {@link #JOB_LAST_SUCCESS} knows only this node's runs. */
    public static GuardMetrics of(MeterRegistry registry) {
        return of(registry, null);
    }

    /**
     * Meters on a registry, or none when it is null; {@link #JOB_LAST_SUCCESS} starts from the store's runs (none when
     * the store is null).
     */
    public static GuardMetrics of(@Nullable MeterRegistry registry, @Nullable StateStore store) {
        return registry == null ? NONE : new GuardMetrics(registry, store);
    }

    /** Counts a finished (or skipped) run: outcome, duration, rows per table and operation. */
    public void run(RunReport report) {
        if (registry == null) {
            return;
        }
        String job = report.jobName();
        Counter.builder(RUNS)
                .description("Guarded runs by outcome")
                .tags(
                        "job",
                        job,
                        "outcome",
                        report.outcome().name(),
                        "mode",
                        report.mode().name())
                .register(registry)
                .increment();
        Timer.builder(RUN_DURATION)
                .description("Duration of guarded runs")
                .tag("job", job)
                .register(registry)
                .record(report.duration());
        lastSuccess(report);
        if (report.rowsCommitted() > 0) {
            Counter.builder(ROWS_COMMITTED)
                    .description("Rows committed by guarded runs")
                    .tag("job", job)
                    .register(registry)
                    .increment((double) report.rowsCommitted());
        }
        if (report.rowsRolledBack() > 0) {
            Counter.builder(ROWS_ROLLED_BACK)
                    .description("Rows rolled back in guarded runs")
                    .tag("job", job)
                    .register(registry)
                    .increment((double) report.rowsRolledBack());
        }
        if (!writesKept(report)) {
            return;
        }
        report.rowsByTable().forEach((table, byOperation) -> {
            for (Map.Entry<Operation, Long> count : byOperation.entrySet()) {
                Counter.builder(ROWS_CHANGED)
                        .description("Rows changed by guarded runs")
                        .tags(
                                "job",
                                job,
                                "table",
                                table,
                                "operation",
                                count.getKey().name())
                        .register(registry)
                        .increment(count.getValue());
            }
        });
    }

    private static boolean writesKept(RunReport report) {
        return !report.isDryRun()
                && (report.outcome() != RunOutcome.TRIPPED
                        || report.trip().map(Trip::reason).orElse(null) == TripReason.MAX_DURATION)
                && !(report.atomic() && report.outcome() == RunOutcome.FAILED);
    }

    /** Moves the job's last-success gauge on a live success (registering it when this node has not yet). */
    private void lastSuccess(RunReport report) {
        if (report.outcome() == RunOutcome.SUCCEEDED && !report.isDryRun()) {
            lastSuccessOf(report.jobName()).succeededAt(report.endedAt());
        } else {
            lastSuccessOf(report.jobName());
        }
    }

    private LastSuccess lastSuccessOf(String job) {
        return lastSuccess.computeIfAbsent(job, name -> {
            LastSuccess value = new LastSuccess();
            Gauge.builder(JOB_LAST_SUCCESS, value, LastSuccess::seconds)
                    .description("When the job's last live run succeeded, in seconds since the epoch")
                    .baseUnit("seconds")
                    .tag("job", name)
                    .strongReference(true)
                    .register(Objects.requireNonNull(registry, "asked for a meter without a registry"));
            return value;
        });
    }

    /** One job's last live success, as seconds since the epoch; NaN while none is known. */
    private static final class LastSuccess {
        private double seconds = Double.NaN;
        /** True once this node saw a live success or read the last one from the store. */
        private boolean known;
        /** {@link System#nanoTime()} before which the store is not asked again after it failed. */
        private long retryAt;

        private boolean failed;

        synchronized double seconds() {
            return seconds;
        }

        synchronized void succeededAt(Instant at) {
            double value = at.toEpochMilli() / 1000.0;
            if (Double.isNaN(seconds) || value > seconds) {
                seconds = value;
            }
            known = true;
        }

        /**
         * Reads the job's last live success from the store, once; again a minute after the store failed. Called just
         * after the store answered a read of the job's state, never on a run the store could not admit (fail closed),
         * so a store outage does not hold the scheduler's thread a second time.
         */
        void seed(String job, StateStore store) {
            synchronized (this) {
                if (known || (failed && System.nanoTime() - retryAt < 0)) {
                    return;
                }
                known = true; // one reader at a time
            }
            Instant last;
            try {
                last = lastLiveSuccess(job, store);
            } catch (RuntimeException unreadable) {
                synchronized (this) {
                    known = false;
                    failed = true;
                    retryAt = System.nanoTime() + SEED_RETRY.toNanos();
                }
                log.debug(
                        "jobguard: job '{}': its last success could not be read for {}: {}",
                        job,
                        JOB_LAST_SUCCESS,
                        unreadable.toString());
                return;
            }
            if (last != null) {
                succeededAt(last);
            }
        }

        private static @Nullable Instant lastLiveSuccess(String job, StateStore store) {
            Instant last = null;
            for (GuardMode mode : GuardMode.values()) {
                if (mode == GuardMode.DRY_RUN) {
                    continue;
                }
                for (RunRecord run : store.runs(job, RunOutcome.SUCCEEDED, mode, 1)) {
                    Instant ended = run.endedAt() != null ? run.endedAt() : run.startedAt();
                    if (last == null || ended.isAfter(last)) {
                        last = ended;
                    }
                }
            }
            return last;
        }
    }

    public void trip(String job, TripReason reason) {
        if (registry != null) {
            Counter.builder(TRIPS)
                    .description("Trips of guarded jobs")
                    .tags("job", job, "reason", reason.name())
                    .register(registry)
                    .increment();
        }
    }

    /**
     * Sets the job's disabled gauge, after the state store answered for the job; registers its {@link
     * #JOB_LAST_SUCCESS} gauge at the first call, read from the store (once) while this node has seen no success.
     */
    public void disabled(String job, boolean isDisabled) {
        if (registry == null) {
            return;
        }
        LastSuccess last = lastSuccessOf(job);
        if (store != null) {
            last.seed(job, store);
        }
        disabled.computeIfAbsent(job, name -> {
                    AtomicInteger value = new AtomicInteger();
                    Gauge.builder(JOB_DISABLED, value, AtomicInteger::get)
                            .description("1 while the job is disabled")
                            .tag("job", name)
                            .strongReference(true)
                            .register(registry);
                    return value;
                })
                .set(isDisabled ? 1 : 0);
    }

    public void stateStoreFailure(String job, String operation) {
        if (registry != null) {
            Counter.builder(STATE_ERRORS)
                    .description("State store failures: jobs not run, runs not recorded")
                    .tags("job", job, "operation", operation)
                    .register(registry)
                    .increment();
        }
    }
}
