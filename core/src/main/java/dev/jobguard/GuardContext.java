package dev.jobguard;

import dev.jobguard.internal.run.RunContext;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import org.jspecify.annotations.Nullable;

/**
 * The guarded run the current thread works for, as the job sees it. Outside a run, {@link #current()} returns an
 * inactive context: side effects run, nothing is recorded, wrappers return what they are given.
 *
 * <pre>{@code
 * GuardContext guard = GuardContext.current();
 * guard.sideEffect("send-email", () -> mailer.send(notice));      // skipped in a dry run
 * executor.submit(guard.wrap(() -> archive(batch)));              // the helper thread's writes count too
 * }</pre>
 *
 * <p>The run lives in a thread-local: work handed to other threads (executors, parallel streams, {@code @Async})
 * is guarded only when wrapped here; unwrapped work on another thread runs unguarded.
 */
public final class GuardContext {

    private static final GuardContext NONE = new GuardContext(null);

    /** The current thread's run, or null for the inactive context. */
    private final @Nullable RunContext run;

    private GuardContext(@Nullable RunContext run) {
        this.run = run;
    }

    /** The current thread's run, or an inactive context. */
    public static GuardContext current() {
        RunContext run = RunContext.current();
        return run == null ? NONE : new GuardContext(run);
    }

    /** Whether the current thread works for a guarded run. */
    public boolean isActive() {
        return run != null;
    }

    /** Whether the run is a dry run: its writes will be rolled back, and side effects should be skipped. */
    public boolean isDryRun() {
        return run != null && run.isDryRun();
    }

    public Optional<String> jobName() {
        return run == null ? Optional.empty() : Optional.of(run.jobName());
    }

    public Optional<String> runId() {
        return run == null ? Optional.empty() : Optional.of(run.runId());
    }

    public Optional<GuardMode> mode() {
        return run == null ? Optional.empty() : Optional.of(run.mode());
    }

    /**
     * Runs an action that has effects outside the database (a mail, a message, a call to another service), unless
     * the run is a dry run: then it is skipped and named in the report's {@link RunReport#skippedSideEffects()}.
     */
    public void sideEffect(String name, Runnable action) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(action, "action");
        RunContext current = run;
        if (current != null && current.isDryRun()) {
            current.skippedSideEffect(name);
            return;
        }
        action.run();
    }

    /**
     * Counts rows the job changed without JDBC (through another API), against the run's limits. Such changes
     * cannot be rolled back by the guard: when they cross a limit the run trips and this throws, so the job stops.
     *
     * @throws RowLimitExceededException when the rows cross a limit of an enforcing run
     */
    public void recordChanges(String table, long rows) throws RowLimitExceededException {
        if (table == null || table.isBlank()) {
            throw new IllegalArgumentException("jobguard: recordChanges needs the table the rows belong to");
        }
        if (rows < 0) {
            throw new IllegalArgumentException(
                    "jobguard: recordChanges(" + table + ", " + rows + "): rows must be >= 0");
        }
        if (run == null) {
            return;
        }
        Trip trip = run.recordExternal(table, rows);
        if (trip != null) {
            throw run.exception(trip, "The changes were made outside JDBC and could not be rolled back by jobguard.");
        }
    }

    /** A runnable that runs inside this context's run on whatever thread runs it. */
    @SuppressWarnings("try") // the resource is held open for the body, never read in it
    public Runnable wrap(Runnable task) {
        Objects.requireNonNull(task, "task");
        if (run == null) {
            return task;
        }
        RunContext captured = run;
        return () -> {
            try (RunContext.Scope scope = captured.attach()) {
                task.run();
            }
        };
    }

    /** A callable that runs inside this context's run on whatever thread runs it. */
    @SuppressWarnings("try") // the resource is held open for the body, never read in it
    public <V> Callable<V> wrap(Callable<V> task) {
        Objects.requireNonNull(task, "task");
        if (run == null) {
            return task;
        }
        RunContext captured = run;
        return () -> {
            try (RunContext.Scope scope = captured.attach()) {
                return task.call();
            }
        };
    }

    /** An executor whose tasks run inside this context's run. */
    public Executor wrap(Executor executor) {
        Objects.requireNonNull(executor, "executor");
        if (run == null) {
            return executor;
        }
        return task -> executor.execute(wrap(task));
    }
}
