package dev.jobguard.metrics;

import dev.jobguard.Operation;
import dev.jobguard.RunOutcome;
import dev.jobguard.RunReport;
import dev.jobguard.Trip;
import dev.jobguard.TripReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

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
    /** Counter of state store failures (a job not run, a run not recorded); tags {@code job}, {@code operation}. */
    public static final String STATE_ERRORS = "jobguard.state.errors";

    private static final GuardMetrics NONE = new GuardMetrics(null);

    private final MeterRegistry registry;
    private final Map<String, AtomicInteger> disabled = new ConcurrentHashMap<>();

    private GuardMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    /** Meters on a registry, or none when it is null. */
    public static GuardMetrics of(MeterRegistry registry) {
        return registry == null ? NONE : new GuardMetrics(registry);
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
        if (report.rowsCommitted() > 0) {
            Counter.builder(ROWS_COMMITTED)
                    .description("Rows committed by guarded runs")
                    .tag("job", job)
                    .register(registry)
                    .increment(report.rowsCommitted());
        }
        if (report.rowsRolledBack() > 0) {
            Counter.builder(ROWS_ROLLED_BACK)
                    .description("Rows rolled back in guarded runs")
                    .tag("job", job)
                    .register(registry)
                    .increment(report.rowsRolledBack());
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

    public void trip(String job, TripReason reason) {
        if (registry != null) {
            Counter.builder(TRIPS)
                    .description("Trips of guarded jobs")
                    .tags("job", job, "reason", reason.name())
                    .register(registry)
                    .increment();
        }
    }

    /** Sets the job's disabled gauge. */
    public void disabled(String job, boolean isDisabled) {
        if (registry == null) {
            return;
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
