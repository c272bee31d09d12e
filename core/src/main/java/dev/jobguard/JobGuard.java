package dev.jobguard;

import dev.jobguard.run.RunContext;
import dev.jobguard.run.RunLimits;
import dev.jobguard.run.TablePatterns;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * Runs jobs under their {@link GuardPolicy}: every write the job makes through a
 * {@link dev.jobguard.jdbc.GuardedDataSource} is counted against the policy's limits, and the run ends with a
 * {@link RunReport}.
 *
 * <pre>{@code
 * JobGuard guard = JobGuard.builder().build();
 * RunReport report = guard.run(policy, () -> invoices.cancelOverdue(dataSource));
 * }</pre>
 *
 * <p>{@link #run} never throws for what the job does: a failure or a trip is in the report. Thread-safe; one
 * instance serves every job of an application.
 */
public final class JobGuard {

    /** Tables never counted nor rolled back: the guard's own, ShedLock's and Quartz's. */
    public static final List<String> DEFAULT_IGNORED_TABLES = TablePatterns.DEFAULT_IGNORED;

    /** MDC key holding the job name during a run. */
    public static final String MDC_JOB = "jobguard.job";
    /** MDC key holding the run id during a run. */
    public static final String MDC_RUN = "jobguard.run";

    private static final Logger log = LoggerFactory.getLogger(JobGuard.class);

    private final TablePatterns ignoredTables;
    private final Clock clock;

    private JobGuard(Builder builder) {
        this.ignoredTables = builder.ignoredTables;
        this.clock = builder.clock;
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs the task as one guarded run of the policy's job, on the calling thread.
     *
     * @return what the run did; {@link RunOutcome#FAILED} with the exception when the task threw
     */
    public RunReport run(GuardPolicy policy, GuardedTask task) {
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(task, "task");
        String runId = UUID.randomUUID().toString();
        Instant startedAt = clock.instant();
        RunContext outer = RunContext.current();
        if (outer != null) {
            return nestedRunRefused(policy, runId, startedAt, outer);
        }
        RunContext run = new RunContext(runId, policy, RunLimits.from(policy), ignoredTables);
        String previousJob = MDC.get(MDC_JOB);
        String previousRun = MDC.get(MDC_RUN);
        MDC.put(MDC_JOB, policy.jobName());
        MDC.put(MDC_RUN, runId);
        try {
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
            RunReport report = report(run, failure, startedAt);
            logOutcome(report);
            if (failure instanceof VirtualMachineError fatal) {
                throw fatal;
            }
            return report;
        } finally {
            restore(MDC_JOB, previousJob);
            restore(MDC_RUN, previousRun);
        }
    }

    private RunReport report(RunContext run, Throwable failure, Instant startedAt) {
        RunOutcome outcome =
                run.isTripped() ? RunOutcome.TRIPPED : failure != null ? RunOutcome.FAILED : RunOutcome.SUCCEEDED;
        return RunReport.builder(run.runId(), run.jobName())
                .mode(run.mode(), run.policy().atomic())
                .outcome(outcome, run.trip(), failure)
                .counts(
                        run.rowsChanged(),
                        run.rowsByTable(),
                        run.statementSummaries(),
                        run.statementsExecuted(),
                        run.rowCountIsLowerBound())
                .wouldTrips(run.wouldTrips())
                .skippedSideEffects(run.skippedSideEffects())
                .times(startedAt, clock.instant())
                .build();
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
                .times(startedAt, clock.instant())
                .build();
    }

    private static void logOutcome(RunReport report) {
        switch (report.outcome()) {
            case TRIPPED ->
                log.error(
                        "jobguard: job '{}' TRIPPED ({}): {}. Its writes over the limit were rolled back.",
                        report.jobName(),
                        report.mode(),
                        report.trip().map(Trip::describe).orElse("?"));
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

    /** Builds a {@link JobGuard}. */
    public static final class Builder {
        private TablePatterns ignoredTables = TablePatterns.of(DEFAULT_IGNORED_TABLES);
        private Clock clock = Clock.systemUTC();

        private Builder() {}

        /**
         * Tables the guard never counts nor rolls back, replacing {@link #DEFAULT_IGNORED_TABLES}: names, or
         * prefixes ending in {@code *}, compared case-insensitively with the table's name without its schema.
         */
        public Builder ignoredTables(Collection<String> patterns) {
            this.ignoredTables = TablePatterns.of(List.copyOf(patterns));
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
    }
}
