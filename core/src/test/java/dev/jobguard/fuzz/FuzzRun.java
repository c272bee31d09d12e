package dev.jobguard.fuzz;

import dev.jobguard.GuardMode;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One generated run: the policy it runs under and what the job does. Immutable; {@link #without(int)} drops a step
 * for shrinking.
 */
record FuzzRun(
        long seed,
        GuardMode mode,
        long maxRowsChanged,
        long maxRowsPerStatement,
        String tableLimitName,
        long tableLimit,
        boolean journal,
        boolean atomic,
        boolean autoCommit,
        Ending ending,
        List<Step> steps) {

    /** No limit in this dimension. */
    static final long NONE = -1;

    /** How the job ends. */
    enum Ending {
        /** Commits (manual commit) and returns. */
        COMMIT,
        /** Throws before any final commit. */
        FAIL,
        /** Returns without committing (the connection is closed with its transaction open). */
        RETURN
    }

    /** How the job sends a statement. */
    enum Method {
        EXECUTE,
        EXECUTE_UPDATE,
        EXECUTE_LARGE_UPDATE,
        EXECUTE_QUERY,
        BATCH,
        LARGE_BATCH,
        PREPARED_EXECUTE,
        PREPARED_UPDATE,
        PREPARED_LARGE_UPDATE,
        PREPARED_QUERY,
        PREPARED_BATCH,
        /** The job commits (no SQL). */
        COMMIT,
        /** The job sets a savepoint (no SQL). */
        SAVEPOINT,
        /** The job rolls back to its last savepoint, or the whole transaction (no SQL). */
        ROLLBACK
    }

    /**
     * One thing the job does.
     *
     * @param secondConnection on the job's second connection (same auto-commit mode) instead of its first
     * @param helperThread from a helper thread carrying the run ({@code GuardContext.wrap})
     */
    record Step(String sql, Method method, boolean secondConnection, boolean helperThread) {

        @Override
        public String toString() {
            return method
                    + (secondConnection ? " (2nd connection)" : "")
                    + (helperThread ? " (helper thread)" : "")
                    + (sql == null ? "" : ": " + sql.replace("\n", "\\n"));
        }
    }

    FuzzRun without(int index) {
        List<Step> fewer = new java.util.ArrayList<>(steps);
        fewer.remove(index);
        return new FuzzRun(
                seed,
                mode,
                maxRowsChanged,
                maxRowsPerStatement,
                tableLimitName,
                tableLimit,
                journal,
                atomic,
                autoCommit,
                ending,
                List.copyOf(fewer));
    }

    long statements() {
        return steps.stream().filter(s -> s.sql() != null).count();
    }

    /** A reproduction to paste into a test. */
    String describe() {
        return "seed " + seed + ": mode=" + mode + ", maxRowsChanged=" + limit(maxRowsChanged)
                + ", maxRowsPerStatement=" + limit(maxRowsPerStatement)
                + (tableLimitName == null ? "" : ", tableLimit(" + tableLimitName + ")=" + tableLimit)
                + ", journal=" + journal + ", atomic=" + atomic + ", autoCommit=" + autoCommit + ", ending=" + ending
                + steps.stream().map(s -> "\n    " + s).collect(Collectors.joining());
    }

    private static String limit(long value) {
        return value == NONE ? "none" : Long.toString(value);
    }
}
