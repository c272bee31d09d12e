package dev.jobguard.anomaly;

import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A job's normal size: the median rows changed, in total and per table, over its recent successful ENFORCE runs.
 *
 * @param runs how many runs it was drawn from
 * @param medianRows the median of their totals
 * @param medianRowsByTable per table seen in any of them, the median of that table's rows (0 for runs without it)
 */
public record Baseline(int runs, long medianRows, Map<String, Long> medianRowsByTable) {

    public Baseline {
        medianRowsByTable = Map.copyOf(medianRowsByTable);
    }

    /** The baseline of these runs (the state store's {@code RunRecord}s). */
    public static Baseline of(List<? extends RunSize> runs) {
        // loops, not streams: this runs once per run, mostly before the JIT has compiled it
        long[] totals = new long[runs.size()];
        Set<String> tables = new HashSet<>();
        for (int i = 0; i < totals.length; i++) {
            RunSize run = runs.get(i);
            totals[i] = run.rowsChanged();
            tables.addAll(run.tablesChanged());
        }
        Map<String, Long> byTable = new TreeMap<>();
        long[] tableRows = new long[runs.size()];
        for (String table : tables) {
            for (int i = 0; i < tableRows.length; i++) {
                tableRows[i] = runs.get(i).rowsChanged(table);
            }
            byTable.put(table, median(tableRows));
        }
        return new Baseline(runs.size(), median(totals), byTable);
    }

    /** The median (the lower of the two middle values for an even count); 0 for none. */
    static long median(long[] values) {
        if (values.length == 0) {
            return 0;
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[(sorted.length - 1) / 2];
    }

    @Override
    public String toString() {
        return "median " + medianRows + " rows over " + runs + " runs"
                + (medianRowsByTable.isEmpty() ? "" : " " + medianRowsByTable);
    }
}
