package dev.jobguard.internal.run;

import dev.jobguard.Operation;
import dev.jobguard.StatementSummary;
import dev.jobguard.internal.sql.SqlStatementInfo;
import dev.jobguard.internal.sql.TableNames;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What a run's writes changed: rows in all, by table and operation, by distinct statement (the first {@link
 * RunContext#MAX_STATEMENT_SUMMARIES}), and how many of them committed or were rolled back. Not thread-safe: its run
 * holds its own lock around every call.
 */
final class RunCounters {

    private long rowsChanged;
    private long rowsCommitted;
    private long rowsRolledBack;
    private long statements;
    private boolean lowerBound;
    private final Map<String, long[]> rowsByTable = new HashMap<>();
    /** Executions and rows, by distinct statement. */
    private final Map<SqlStatementInfo, long[]> statementStats = new LinkedHashMap<>();

    /** Rows this run counted on each thread: a connection learns a write's rows from the difference. */
    private final ThreadLocal<long[]> countedOnThread = ThreadLocal.withInitial(() -> new long[1]);
    /** The thread the run was started on, whose count is a field (no thread-local read on the path of a write). */
    private final Thread runThread = Thread.currentThread();
    /** Rows counted on {@link #runThread}; written and read on that thread only. */
    private long countedOnRunThread;

    /** The statement counted last and its counters (a job writes with the same statement over and over). */
    private @Nullable SqlStatementInfo lastStatement;

    private long @Nullable [] lastStatementStats;
    private long @Nullable [] lastTableRows;

    /**
     * Counts one execution of a write in {@code table}.
     *
     * @param rows rows it changed (not negative)
     * @param countUnknown the driver said "at least one row, count unknown"; {@code rows} is then a lower bound
     */
    @SuppressWarnings({"EnumOrdinal", "ReferenceEquality"}) // counters by operation; the last statement by identity
    void count(SqlStatementInfo info, String table, long rows, boolean countUnknown) {
        rowsChanged += rows;
        if (Thread.currentThread() == runThread) {
            countedOnRunThread += rows;
        } else {
            countedOnThread.get()[0] += rows;
        }
        statements++;
        lowerBound |= countUnknown;
        long[] byOperation = lastTableRows;
        long[] stat = lastStatementStats;
        if (info != lastStatement || byOperation == null) {
            byOperation = rowsByTable.computeIfAbsent(table, t -> new long[Operation.values().length]);
            stat = statementStats.get(info);
            if (stat == null && statementStats.size() < RunContext.MAX_STATEMENT_SUMMARIES) {
                stat = new long[2];
                statementStats.put(info, stat);
            }
            lastStatement = info;
            lastTableRows = byOperation;
            lastStatementStats = stat;
        }
        byOperation[info.kind().operation().ordinal()] += rows;
        if (stat != null) {
            stat[0]++;
            stat[1] += rows;
        }
    }

    /** Counts a write whose rows the driver did not report at all: the run's count is then a lower bound. */
    void countUnreported() {
        statements++;
        lowerBound = true;
    }

    /**
     * The rows changed in a table under every spelling the run wrote it with: {@code invoices}, {@code
     * public.invoices} and {@code PUBLIC."INVOICES"} are one table to its limit (names with different schemas are not).
     */
    long tableRows(String table) {
        long rows = 0;
        long[] only = rowsByTable.size() == 1 ? rowsByTable.get(table) : null;
        if (only != null) {
            for (long count : only) {
                rows += count;
            }
            return rows;
        }
        for (Map.Entry<String, long[]> entry : rowsByTable.entrySet()) {
            if (TableNames.sameTable(table, entry.getKey())) {
                for (long count : entry.getValue()) {
                    rows += count;
                }
            }
        }
        return rows;
    }

    long rowsChanged() {
        return rowsChanged;
    }

    /** Rows counted on the calling thread so far. */
    long rowsCountedOnThisThread() {
        return Thread.currentThread() == runThread
                ? countedOnRunThread
                : countedOnThread.get()[0];
    }

    void committed(long rows) {
        rowsCommitted += rows;
    }

    void rolledBack(long rows) {
        rowsRolledBack += rows;
    }

    long rowsCommitted() {
        return rowsCommitted;
    }

    long rowsRolledBack() {
        return rowsRolledBack;
    }

    long statements() {
        return statements;
    }

    boolean lowerBound() {
        return lowerBound;
    }

    /** Rows changed per table and operation, tables sorted by name, operations with no rows left out. */
    @SuppressWarnings("EnumOrdinal") // counters indexed by operation, an array per table (the path of every write)
    Map<String, Map<Operation, Long>> rowsByTable() {
        Map<String, Map<Operation, Long>> result = new TreeMap<>();
        rowsByTable.forEach((table, counts) -> {
            Map<Operation, Long> byOperation = new EnumMap<>(Operation.class);
            for (Operation operation : Operation.values()) {
                if (counts[operation.ordinal()] > 0) {
                    byOperation.put(operation, counts[operation.ordinal()]);
                }
            }
            result.put(table, Collections.unmodifiableMap(byOperation));
        });
        return Collections.unmodifiableMap(result);
    }

    /** @param notPreflighted why a statement was not counted before it ran, or null */
    List<StatementSummary> statementSummaries(Function<SqlStatementInfo, @Nullable String> notPreflighted) {
        List<StatementSummary> result = new ArrayList<>(statementStats.size());
        statementStats.forEach((info, stat) -> result.add(new StatementSummary(
                info.sql(), info.table(), info.kind().operation(), stat[0], stat[1], notPreflighted.apply(info))));
        return List.copyOf(result);
    }
}
