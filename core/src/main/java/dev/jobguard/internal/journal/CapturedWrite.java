package dev.jobguard.internal.journal;

import dev.jobguard.internal.run.RunContext;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A write whose steps the journal captured ({@link WriteCapture}), and what becomes of their entries once it ran or
 * failed: after it ran, the inserted rows are journaled, the UPDATE entries without after-images get them from the
 * rows as stored, and the steps that cannot be captured get their gap entries; after it failed in a transaction that
 * goes on, the entries are taken back (or, for a batch that failed part-way, kept for the entries that took effect).
 * Behind {@link ConnectionJournal.Capture}.
 */
final class CapturedWrite {

    private final EntryWriter writer;
    private final Connection raw;
    private final RunContext run;
    private final List<CapturedStep> steps;
    /** The counts of a batch the journal ran entry by entry; null otherwise. */
    private final long @Nullable [] entryCounts;

    CapturedWrite(
            EntryWriter writer,
            Connection raw,
            RunContext run,
            List<CapturedStep> steps,
            long @Nullable [] entryCounts) {
        this.writer = writer;
        this.raw = raw;
        this.run = run;
        this.steps = steps;
        this.entryCounts = entryCounts;
    }

    /** See {@link ConnectionJournal.Capture#executed()}. */
    boolean executed() {
        return entryCounts != null || (steps.size() == 1 && steps.get(0).executed);
    }

    /** See {@link ConnectionJournal.Capture#updateCounts()}. */
    long[] updateCounts() {
        if (entryCounts != null) {
            return entryCounts.clone();
        }
        CapturedStep step = steps.get(0);
        return new long[] {step.insertedKeys != null ? step.insertedKeys.size() : step.rows};
    }

    /** See {@link ConnectionJournal.Capture#failedPartWay(long[])}. */
    void failedPartWay(long @Nullable [] counts) throws SQLException {
        if (counts != null && reportsEachStep(counts)) {
            try {
                for (int i = 0; i < steps.size(); i++) {
                    if (counts[i] == Statement.EXECUTE_FAILED) {
                        CapturedStep step = steps.get(i);
                        writer.delete(raw, run, step.written);
                        step.written.clear();
                        step.rows = 0;
                        step.readBack = false;
                        step.insertedKeys = List.of();
                    }
                }
                after(null); // no generated keys to read
                return;
            } catch (SQLException unexpected) {
                // fall through to the gap
            }
        }
        Set<String> tables = new LinkedHashSet<>();
        for (CapturedStep step : steps) {
            try {
                writer.delete(raw, run, step.written);
            } catch (SQLException transactionAborted) {
                // PostgreSQL aborted the transaction: nothing of it will commit
            }
            step.written.clear();
            if (step.gap == null && tables.add(step.tableName == null ? "?" : step.tableName)) {
                gapAfterWrite(step, "a batch failed part-way; the entries that took effect were not journaled");
            }
        }
    }

    /** See {@link ConnectionJournal.Capture#abandon()}. */
    void abandon() {
        abandon(writer, raw, run, steps);
    }

    /**
     * Takes back the entries written for these steps: the write failed in a transaction that goes on. Where the
     * database aborted the transaction (PostgreSQL) that cannot be done, and need not: nothing of it will commit.
     */
    static void abandon(EntryWriter writer, Connection raw, RunContext run, List<CapturedStep> steps) {
        for (CapturedStep step : steps) {
            try {
                writer.delete(raw, run, step.written);
            } catch (SQLException transactionAborted) {
                return; // nothing of the transaction will commit
            }
            step.written.clear();
        }
    }

    /**
     * Whether the counts tell of each step whether it took effect: one per step, not all failed (a driver that reports
     * nothing per entry says -3 for each), and no INSERT waiting for generated keys, which a failed batch does not
     * return reliably.
     */
    private boolean reportsEachStep(long[] counts) {
        if (counts.length != steps.size() || counts.length == 0) {
            return false;
        }
        boolean anyTookEffect = false;
        for (int i = 0; i < counts.length; i++) {
            CapturedStep step = steps.get(i);
            if (counts[i] != Statement.EXECUTE_FAILED) {
                anyTookEffect = true;
                if (step.gap == null
                        && step.plan().operation() == CapturePlan.Operation.INSERT
                        && step.insertedKeys == null) {
                    return false;
                }
            }
        }
        return anyTookEffect;
    }

    /** A step found uncapturable once it ran: a gap entry, and the run is told (it cannot trip the write now). */
    private void gapAfterWrite(CapturedStep step, String why) throws SQLException {
        writeGap(step, step.gapText(why));
        run.journalGap(step.tableName, step.statementSql, why);
    }

    /** See {@link ConnectionJournal.Capture#after(ResultSet)}. */
    void after(@Nullable ResultSet generatedKeys) throws SQLException {
        List<List<String>> generated = null;
        int nextGenerated = 0;
        for (CapturedStep step : steps) {
            if (step.gap != null) {
                writeGap(step, step.gap);
                continue;
            }
            if (step.readBack) {
                writer.fillAfter(raw, run, step.table(), step.columns, step.written);
                step.readBack = false;
            }
            List<List<String>> keys = step.insertedKeys;
            if (step.plan().operation() == CapturePlan.Operation.INSERT && keys == null) {
                if (generated == null && generatedKeys != null) {
                    generated = InsertKeys.fromGeneratedKeys(generatedKeys, step.table());
                }
                // a batch's generated keys come in the order of its entries, one per VALUES row
                int rows = step.plan().rows().isEmpty() || steps.size() == 1
                        ? Integer.MAX_VALUE
                        : step.plan().rows().size();
                if (generated != null && nextGenerated < generated.size()) {
                    int to = (int) Math.min(generated.size(), (long) nextGenerated + rows);
                    keys = generated.subList(nextGenerated, to);
                    nextGenerated = to;
                }
                if (keys == null) {
                    gapAfterWrite(step, "the driver did not return the new rows' keys");
                    continue;
                }
            }
            if (keys != null) {
                // the INSERT entries of the rows with these keys; their after-images are read when they are written
                step.written.add(writer.addInserts(raw, run, step.table(), keys));
            }
        }
    }

    private void writeGap(CapturedStep step, String why) throws SQLException {
        String table = step.table == null ? "?" : step.table.reference();
        writer.add(raw, run, List.of(new EntryWriter.Entry(table, EntryWriter.GAP, null, why, null)));
    }
}
