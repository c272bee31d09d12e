package dev.jobguard.journal;

import dev.jobguard.internal.journal.EntryWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a run's journal a chunk at a time, so that a revert's memory does not grow with the run: by position (pages
 * of {@link EntryWriter#CHUNK} entries, found by the journal's primary key), or by row (one result, read through a
 * cursor where the database has one).
 */
final class JournalReader {

    /** Takes the entries of a run, in the order read. */
    @FunctionalInterface
    interface Sink {
        void accept(JournalEntry entry) throws SQLException;
    }

    private static final String COLUMNS = "seq, table_name, operation, row_key, before_image, after_image";

    private final ChangeJournal journal;
    private final Connection connection;

    JournalReader(ChangeJournal journal, Connection connection) {
        this.journal = journal;
        this.connection = connection;
    }

    /** The run's gap entries, as {@code table: why}, in their order. */
    List<String> gaps(String runId) throws SQLException {
        List<String> gaps = new ArrayList<>();
        try (PreparedStatement select = connection.prepareStatement("SELECT table_name, before_image FROM "
                + journal.changeTable() + " WHERE run_id = ? AND operation = ? ORDER BY seq")) {
            select.setString(1, runId);
            select.setString(2, JournalEntry.GAP);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    gaps.add(rows.getString(1) + ": " + rows.getString(2));
                }
            }
        }
        return gaps;
    }

    /**
     * Whether some row key occurs in more than one of the run's entries (a row the run changed twice, or two tables'
     * rows with the same key): counted in the database.
     */
    boolean keysRepeat(String runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT 1 FROM " + journal.changeTable()
                + " WHERE run_id = ? AND operation <> ? GROUP BY row_key HAVING COUNT(*) > 1")) {
            select.setString(1, runId);
            select.setString(2, JournalEntry.GAP);
            select.setMaxRows(1);
            try (ResultSet rows = select.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * The run's entries other than gaps by position, oldest or newest first, a range of {@link EntryWriter#CHUNK}
     * positions at a time (a range, not a LIMIT: each read touches at most that many rows whatever plan the database
     * picks for the journal's fresh statistics).
     *
     * @return how many there were
     */
    long bySeq(String runId, boolean newestFirst, Sink sink) throws SQLException {
        long min;
        long max;
        try (PreparedStatement bounds = connection.prepareStatement(
                "SELECT MIN(seq), MAX(seq) FROM " + journal.changeTable() + " WHERE run_id = ?")) {
            bounds.setString(1, runId);
            try (ResultSet rows = bounds.executeQuery()) {
                if (!rows.next()) {
                    return 0;
                }
                min = rows.getLong(1);
                if (rows.wasNull()) {
                    return 0;
                }
                max = rows.getLong(2);
            }
        }
        String sql = "SELECT " + COLUMNS + " FROM " + journal.changeTable() + " WHERE run_id = ? AND operation <> ?"
                + " AND seq >= ? AND seq < ? ORDER BY seq" + (newestFirst ? " DESC" : "");
        long count = 0;
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            for (long page = 0; page <= (max - min) / EntryWriter.CHUNK; page++) {
                long from = newestFirst ? max + 1 - (page + 1) * EntryWriter.CHUNK : min + page * EntryWriter.CHUNK;
                List<JournalEntry> entries = new ArrayList<>(EntryWriter.CHUNK);
                select.setString(1, runId);
                select.setString(2, JournalEntry.GAP);
                select.setLong(3, Math.max(from, min));
                select.setLong(4, from + EntryWriter.CHUNK);
                try (ResultSet rows = select.executeQuery()) {
                    while (rows.next()) {
                        entries.add(entry(runId, rows));
                    }
                }
                for (JournalEntry entry : entries) {
                    sink.accept(entry);
                }
                count += entries.size();
            }
        }
        return count;
    }

    /**
     * The run's entries other than gaps by row key, each key's entries by position, in one result read a chunk at a
     * time (a cursor on PostgreSQL, whose transaction is open).
     *
     * @return how many there were
     */
    long byKey(String runId, Sink sink) throws SQLException {
        long count = 0;
        try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM "
                + journal.changeTable() + " WHERE run_id = ? AND operation <> ? ORDER BY row_key, seq")) {
            select.setString(1, runId);
            select.setString(2, JournalEntry.GAP);
            select.setFetchSize(EntryWriter.CHUNK);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    sink.accept(entry(runId, rows));
                    count++;
                }
            }
        }
        return count;
    }

    private static JournalEntry entry(String runId, ResultSet rows) throws SQLException {
        return new JournalEntry(
                runId,
                rows.getLong(1),
                rows.getString(2),
                rows.getString(3),
                rows.getString(4),
                rows.getString(5),
                rows.getString(6));
    }
}
