package dev.jobguard.run;

import dev.jobguard.GuardPolicy;
import dev.jobguard.sql.TableNames;
import java.util.Map;

/** The limits in force during one run, resolved from the policy. {@link #NONE} for "no limit" is a negative value. */
public final class RunLimits {

    /** The value of a limit that is not set. */
    public static final long NONE = -1;

    private final long maxRowsChanged;
    private final long maxRowsPerStatement;
    private final Map<String, Long> tableLimits;

    public RunLimits(long maxRowsChanged, long maxRowsPerStatement, Map<String, Long> tableLimits) {
        this.maxRowsChanged = maxRowsChanged;
        this.maxRowsPerStatement = maxRowsPerStatement;
        this.tableLimits = Map.copyOf(tableLimits);
    }

    public static RunLimits from(GuardPolicy policy) {
        return new RunLimits(
                policy.maxRowsChanged().orElse(NONE),
                policy.maxRowsPerStatement().orElse(NONE),
                policy.tableLimits());
    }

    public long maxRowsChanged() {
        return maxRowsChanged;
    }

    public long maxRowsPerStatement() {
        return maxRowsPerStatement;
    }

    /** The limit for a normalized table name, matched with or without its schema, or {@link #NONE}. */
    public long tableLimit(String table) {
        if (table == null || tableLimits.isEmpty()) {
            return NONE;
        }
        Long limit = tableLimits.get(table);
        if (limit == null) {
            limit = tableLimits.get(TableNames.unqualified(table));
        }
        return limit == null ? NONE : limit;
    }

    /** Whether any limit is set: only then can a statement trip. */
    public boolean any() {
        return maxRowsChanged != NONE || maxRowsPerStatement != NONE || !tableLimits.isEmpty();
    }

    @Override
    public String toString() {
        return "RunLimits{maxRowsChanged=" + maxRowsChanged + ", maxRowsPerStatement=" + maxRowsPerStatement
                + ", tables=" + tableLimits + '}';
    }
}
