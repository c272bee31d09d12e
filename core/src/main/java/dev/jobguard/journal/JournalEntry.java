package dev.jobguard.journal;

import dev.jobguard.internal.journal.EntryWriter;
import dev.jobguard.internal.journal.Json;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code jobguard_change}.
 *
 * @param runId the run that made the change
 * @param seq the change's position in the run
 * @param table the table as the job's SQL named it
 * @param operation INSERT, UPDATE, DELETE, or GAP for a write that could not be journaled
 * @param key the row's primary key as a JSON object; null for a gap
 * @param before the row before the change (UPDATE, DELETE) as a JSON object, or the reason for a gap
 * @param after the row as the run left it (the last change of a row in a transaction), or null
 */
public record JournalEntry(
        String runId,
        long seq,
        String table,
        String operation,
        @Nullable String key,
        @Nullable String before,
        @Nullable String after) {

    public static final String GAP = EntryWriter.GAP;

    /** The key of a row's entry: every entry but a gap has one. */
    String rowKey() {
        if (key == null) {
            throw new IllegalStateException("jobguard: entry " + seq + " of run " + runId + " has no row key");
        }
        return key;
    }

    public boolean isGap() {
        return GAP.equals(operation);
    }

    /** The row's key, column by column (values as the journal stores them, as text); empty for a gap. */
    public Map<String, String> keyColumns() {
        return key == null ? Map.of() : Json.parseObject(key);
    }

    /** The row before the change, column by column; empty for an INSERT and a gap. */
    public Map<String, String> beforeColumns() {
        return before == null || isGap() ? Map.of() : Json.parseObject(before);
    }

    /** The row as the run left it, column by column; empty for a DELETE and a gap. */
    public Map<String, String> afterColumns() {
        return after == null ? Map.of() : Json.parseObject(after);
    }
}
