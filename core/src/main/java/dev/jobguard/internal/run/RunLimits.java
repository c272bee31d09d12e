package dev.jobguard.internal.run;

import dev.jobguard.GuardPolicy;
import dev.jobguard.anomaly.AnomalyPolicy;
import dev.jobguard.anomaly.Baseline;
import dev.jobguard.internal.sql.TableNames;
import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The limits in force during one run: the policy's hard limits, and the anomaly limits drawn from the job's
 * baseline. {@link #NONE} marks a limit that is not set.
 */
public final class RunLimits {

    /** The value of a limit that is not set. */
    public static final long NONE = -1;

    /** Prefixes, in a lookup map, the schema-less name of a table whose limit was given schema-qualified. */
    private static final String SCHEMA_LESS = "\u0000";

    private final long maxRowsChanged;
    private final long maxRowsPerStatement;
    private final Map<String, Long> tableLimits;
    private final Map<String, Long> tableLimitLookup;
    private final @Nullable Baseline baseline;
    private final long anomalyMaxRowsChanged;
    private final Map<String, Long> anomalyTableLimits;
    private final Map<String, Long> anomalyTableLimitLookup;
    /** The limits of the table looked up last ({@link #limitsOf}); the only state that changes. */
    private volatile @Nullable TableLimits last;

    /**
     * The limits a baseline gives: on the run's total and per table.
     *
     * @param baseline null when the job has too little history (then no anomaly limit is set)
     */
    private record AnomalyLimits(@Nullable Baseline baseline, long maxRowsChanged, Map<String, Long> tableLimits) {

        static final AnomalyLimits NONE_SET = new AnomalyLimits(null, NONE, Map.of());
    }

    private RunLimits(
            long maxRowsChanged, long maxRowsPerStatement, Map<String, Long> tableLimits, AnomalyLimits anomaly) {
        this.maxRowsChanged = maxRowsChanged;
        this.maxRowsPerStatement = maxRowsPerStatement;
        this.tableLimits = Map.copyOf(tableLimits);
        this.tableLimitLookup = indexed(tableLimits);
        this.baseline = anomaly.baseline();
        this.anomalyMaxRowsChanged = anomaly.maxRowsChanged();
        this.anomalyTableLimits = Map.copyOf(anomaly.tableLimits());
        this.anomalyTableLimitLookup = indexed(anomaly.tableLimits());
    }

    /** The policy's hard limits alone. */
    public static RunLimits from(GuardPolicy policy) {
        return new RunLimits(
                policy.maxRowsChanged().orElse(NONE),
                policy.maxRowsPerStatement().orElse(NONE),
                policy.tableLimits(),
                AnomalyLimits.NONE_SET);
    }

    /** These limits plus the anomaly limits a baseline gives under an anomaly policy. */
    public RunLimits withBaseline(Baseline baseline, AnomalyPolicy anomaly) {
        Map<String, Long> perTable = new HashMap<>();
        baseline.medianRowsByTable().forEach((table, median) -> perTable.put(table, anomaly.limitFor(median)));
        return new RunLimits(
                maxRowsChanged,
                maxRowsPerStatement,
                tableLimits,
                new AnomalyLimits(baseline, anomaly.limitFor(baseline.medianRows()), perTable));
    }

    public long maxRowsChanged() {
        return maxRowsChanged;
    }

    public long maxRowsPerStatement() {
        return maxRowsPerStatement;
    }

    /**
     * The hard limit for a normalized table name, matched with or without its schema (a limit on {@code
     * public.invoices} applies to a statement that writes {@code invoices}), or {@link #NONE}.
     */
    public long tableLimit(@Nullable String table) {
        return table == null || tableLimitLookup.isEmpty()
                ? NONE
                : limitsOf(table).limit();
    }

    /** The baseline the anomaly limits come from, or null when the job has too little history. */
    public @Nullable Baseline baseline() {
        return baseline;
    }

    /** The anomaly limit on the run's total, or {@link #NONE}. */
    public long anomalyMaxRowsChanged() {
        return anomalyMaxRowsChanged;
    }

    /** The anomaly limit for a table the baseline knows, or {@link #NONE}. */
    public long anomalyTableLimit(@Nullable String table) {
        return table == null || anomalyTableLimitLookup.isEmpty()
                ? NONE
                : limitsOf(table).anomalyLimit();
    }

    /** A table's hard and anomaly limits, looked up together. */
    private record TableLimits(String table, long limit, long anomalyLimit) {}

    /**
     * The limits of a table; those of the table looked up last are kept (a run writes the same table, under the same
     * name object, write after write), so that a write costs no map reads. One reference, replaced whole.
     */
    @SuppressWarnings("ReferenceEquality") // the cache is by the name object: another spelling is looked up
    private TableLimits limitsOf(String table) {
        TableLimits known = last;
        if (known == null || known.table() != table) {
            known = new TableLimits(table, lookup(tableLimitLookup, table), lookup(anomalyTableLimitLookup, table));
            last = known;
        }
        return known;
    }

    /**
     * The limit for a table: the limit on its name as written, else on its name without schema; and for a name written
     * without schema, else the smallest limit on a schema-qualified name of that table (which schema the statement
     * writes to is not known here, so the stricter reading applies).
     */
    private static long lookup(Map<String, Long> limits, @Nullable String table) {
        if (table == null || limits.isEmpty()) {
            return NONE;
        }
        Long limit = limits.get(table);
        if (limit == null) {
            String unqualified = TableNames.unqualified(table);
            limit = limits.get(unqualified);
            if (limit == null && unqualified.equals(table)) {
                limit = limits.get(SCHEMA_LESS + table);
            }
        }
        return limit == null ? NONE : limit;
    }

    /**
     * The limits with, for each schema-qualified name, its smallest limit also under {@link #SCHEMA_LESS} and the
     * name without schema (a key no table name can have), so that a lookup stays one or three map reads.
     */
    private static Map<String, Long> indexed(Map<String, Long> limits) {
        Map<String, Long> indexed = new HashMap<>(limits);
        limits.forEach((table, limit) -> {
            if (table.indexOf('.') >= 0) {
                indexed.merge(SCHEMA_LESS + TableNames.unqualified(table), limit, Math::min);
            }
        });
        return indexed;
    }

    /** Whether any limit is set: only then can a statement trip. */
    public boolean any() {
        return maxRowsChanged != NONE
                || maxRowsPerStatement != NONE
                || !tableLimits.isEmpty()
                || anomalyMaxRowsChanged != NONE;
    }

    @Override
    public String toString() {
        return "RunLimits{maxRowsChanged=" + maxRowsChanged + ", maxRowsPerStatement=" + maxRowsPerStatement
                + ", tables=" + tableLimits
                + (baseline == null
                        ? ""
                        : ", anomaly=" + anomalyMaxRowsChanged + " " + anomalyTableLimits + " from " + baseline)
                + '}';
    }
}
