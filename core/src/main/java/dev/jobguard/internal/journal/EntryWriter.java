package dev.jobguard.internal.journal;

import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.run.RunContext;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Writes journal entries to {@code jobguard_change} in the write's transaction as the capture reads them, so that the
 * journal's memory does not grow with the number of rows a run changes: entries wait in a buffer of at most {@link
 * #CHUNK} (so that row-by-row writes share a round trip) and go to the table when it is full, before the transaction
 * commits, and before the capture needs them there. A rolled-back transaction takes its entries with it. Each chunk
 * gets consecutive positions in the run ({@link RunContext#reserveJournalSeqs}), by which the capture finds its
 * entries again: to give them their after-images once the write ran ({@link #fillAfter}), or to take them back when
 * the write failed in a transaction that goes on ({@link #delete}). Used by one connection at a time.
 */
public final class EntryWriter {

    /** The operation of an entry for a write that could not be journaled. */
    public static final String GAP = "GAP";
    /** Entries per chunk: per write to the journal table, per read of rows by key. */
    public static final int CHUNK = 1000;
    /** Rows per INSERT into the journal table. */
    static final int ROWS_PER_INSERT = 500;
    /**
     * Characters of images per INSERT into the journal table, beyond its first row: a statement stays within the
     * packet a server takes (MariaDB 16 MB, MySQL 5.7 4 MB, by default) also when the rows are large.
     */
    static final int CHARS_PER_INSERT = 1_000_000;

    /** Positions {@code first} to {@code first + count - 1} of a run's journal, written together. */
    record Range(long first, int count) {}

    /** An entry before it has a position: the table as the SQL named it, operation, key, before- and after-image. */
    record Entry(
            String table,
            String operation,
            @Nullable String key,
            @Nullable String before,
            @Nullable String after) {}

    /**
     * An entry in the buffer: its journal row, and for a row an INSERT added, its table and key, its after-image
     * (the whole row) read when the buffer is written.
     */
    @SuppressWarnings("ArrayRecordComponent") // never compared or hashed: a row on its way to the batch
    private record Waiting(
            @Nullable String[] row,
            @Nullable TableInfo inserted,
            @Nullable List<String> key) {}

    private final Journaling support;
    private final List<Waiting> buffer = new ArrayList<>();
    private @Nullable RunContext bufferedRun;

    EntryWriter(Journaling support) {
        this.support = support;
    }

    /**
     * Gives the entries, in their order, consecutive positions in the run's journal, and writes them (at once when
     * the buffer is full).
     */
    Range add(Connection raw, RunContext run, List<Entry> entries) throws SQLException {
        if (bufferedRun != null && bufferedRun != run) {
            flush(raw);
        }
        long first = run.reserveJournalSeqs(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            buffer.add(new Waiting(
                    new String[] {
                        run.runId(),
                        Long.toString(first + i),
                        entry.table(),
                        entry.operation(),
                        entry.key(),
                        entry.before(),
                        entry.after()
                    },
                    null,
                    null));
        }
        bufferedRun = run;
        if (buffer.size() >= CHUNK) {
            flush(raw);
        }
        return new Range(first, entries.size());
    }

    /**
     * The rows an INSERT added, by key: their after-images, the rows as stored, are read when the buffer is written
     * (the write ran), a chunk of keys per table at a time.
     */
    Range addInserts(Connection raw, RunContext run, TableInfo table, List<List<String>> keys) throws SQLException {
        if (bufferedRun != null && bufferedRun != run) {
            flush(raw);
        }
        long first = run.reserveJournalSeqs(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            List<String> key = keys.get(i);
            buffer.add(new Waiting(
                    new String[] {
                        run.runId(),
                        Long.toString(first + i),
                        table.reference(),
                        "INSERT",
                        keyJson(table, key),
                        null,
                        null
                    },
                    table,
                    key));
            bufferedRun = run;
            if (buffer.size() >= CHUNK) {
                flush(raw);
            }
        }
        return new Range(first, keys.size());
    }

    boolean isEmpty() {
        return buffer.isEmpty();
    }

    /** The journal of a run whose entries are written: there is one, or the entries would not exist. */
    private static JournalTables journalOf(RunContext run) {
        return Objects.requireNonNull(
                run.journal(), () -> "jobguard: run " + run.runId() + " has journal entries but keeps no journal");
    }

    /** The transaction rolled back: what waits goes with it. */
    void clear() {
        buffer.clear();
        bufferedRun = null;
    }

    /** Writes what waits, in the connection's transaction. */
    void flush(Connection raw) throws SQLException {
        if (buffer.isEmpty()) {
            return;
        }
        RunContext run = Objects.requireNonNull(bufferedRun, "entries wait without their run");
        JournalTables journal = journalOf(run);
        List<Waiting> waiting = new ArrayList<>(buffer);
        clear();
        readInserted(raw, run, waiting);
        List<@Nullable String[]> rows = new ArrayList<>(waiting.size());
        for (Waiting entry : waiting) {
            rows.add(entry.row());
        }
        support.ensureTables(journal);
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        if (support.dialect(raw) != Dialect.POSTGRESQL || !support.copy().copy(raw, journal.changeTable(), rows, now)) {
            insert(raw, journal.changeTable(), rows, now);
        }
    }

    /** Gives the entries of inserted rows their after-images: the rows as they are now, read by key per table. */
    private void readInserted(Connection raw, RunContext run, List<Waiting> waiting) throws SQLException {
        Map<TableInfo, List<Waiting>> byTable = new LinkedHashMap<>();
        for (Waiting entry : waiting) {
            if (entry.inserted() != null) {
                byTable.computeIfAbsent(entry.inserted(), t -> new ArrayList<>())
                        .add(entry);
            }
        }
        for (Map.Entry<TableInfo, List<Waiting>> table : byTable.entrySet()) {
            // distinct keys: a batch may insert a row, delete it and insert it again
            Map<String, List<String>> keys = new LinkedHashMap<>();
            for (Waiting entry : table.getValue()) {
                keys.put(entry.row()[4], entry.key());
            }
            Map<String, String> images = images(raw, run, table.getKey(), null, keys.values());
            for (Waiting entry : table.getValue()) {
                entry.row()[6] = images.get(entry.row()[4]);
            }
        }
    }

    /** Deletes the entries at these positions (a write that failed in a transaction that goes on). */
    void delete(Connection raw, RunContext run, List<Range> ranges) throws SQLException {
        if (ranges.isEmpty()) {
            return;
        }
        flush(raw);
        try (PreparedStatement delete = raw.prepareStatement(
                "DELETE FROM " + journalOf(run).changeTable() + " WHERE run_id = ? AND seq >= ? AND seq < ?")) {
            for (Range range : ranges) {
                delete.setString(1, run.runId());
                delete.setLong(2, range.first());
                delete.setLong(3, range.first() + range.count());
                delete.addBatch();
            }
            delete.executeBatch();
        }
    }

    /**
     * Gives the entries at these positions (an UPDATE's, written before it ran) their after-images: the rows' columns
     * as the database stored them, read by key a chunk at a time.
     *
     * @param columns the columns the after-image holds
     */
    void fillAfter(Connection raw, RunContext run, TableInfo table, @Nullable List<String> columns, List<Range> ranges)
            throws SQLException {
        flush(raw);
        String changeTable = journalOf(run).changeTable();
        try (PreparedStatement keys = raw.prepareStatement(
                        "SELECT seq, row_key FROM " + changeTable + " WHERE run_id = ? AND seq >= ? AND seq < ?");
                PreparedStatement update = raw.prepareStatement(
                        "UPDATE " + changeTable + " SET after_image = ? WHERE run_id = ? AND seq = ?")) {
            for (Range range : ranges) {
                Map<Long, List<String>> bySeq = new LinkedHashMap<>();
                keys.setString(1, run.runId());
                keys.setLong(2, range.first());
                keys.setLong(3, range.first() + range.count());
                try (ResultSet rows = keys.executeQuery()) {
                    while (rows.next()) {
                        bySeq.put(rows.getLong(1), KeySql.tokens(table, rows.getString(2)));
                    }
                }
                Map<String, String> images = images(raw, run, table, columns, bySeq.values());
                for (Map.Entry<Long, List<String>> entry : bySeq.entrySet()) {
                    update.setString(1, images.get(keyJson(table, entry.getValue())));
                    update.setString(2, run.runId());
                    update.setLong(3, entry.getKey());
                    update.addBatch();
                }
                update.executeBatch();
            }
        }
    }

    /**
     * The rows of these keys as they are now, as JSON images of the given columns (all when null), by key JSON; a
     * row not found has none.
     */
    private Map<String, String> images(
            Connection raw,
            RunContext run,
            TableInfo table,
            @Nullable List<String> columns,
            java.util.Collection<List<String>> keys)
            throws SQLException {
        Map<String, String> images = new HashMap<>();
        if (keys.isEmpty()) {
            return images;
        }
        Dialect dialect = support.dialect(raw);
        String select = "SELECT " + (columns == null ? "*" : dialect.columnList(columns)) + " FROM " + table.reference()
                + " WHERE " + KeySql.in(table, keys.size(), dialect);
        try (PreparedStatement statement = raw.prepareStatement(select)) {
            KeySql.bind(statement, 1, table, new ArrayList<>(keys), dialect);
            try (ResultSet result = statement.executeQuery()) {
                RowReader reader = new RowReader(result, table, run.journal());
                while (result.next()) {
                    images.put(keyJson(table, reader.key()), reader.image());
                }
            }
        }
        return images;
    }

    /**
     * Writes the rows with multi-row INSERTs, up to {@link #ROWS_PER_INSERT} and {@link #CHARS_PER_INSERT} at a time,
     * one statement reused.
     */
    private static void insert(Connection raw, String table, List<@Nullable String[]> rows, LocalDateTime now)
            throws SQLException {
        String insert = "INSERT INTO " + table
                + " (run_id, seq, table_name, operation, row_key, before_image, after_image, created_at) VALUES ";
        PreparedStatement full = null;
        try {
            for (int from = 0, to; from < rows.size(); from = to) {
                long chars = 0;
                for (to = from; to < rows.size() && to - from < ROWS_PER_INSERT; to++) {
                    chars += length(rows.get(to));
                    if (chars > CHARS_PER_INSERT && to > from) {
                        break;
                    }
                }
                PreparedStatement statement;
                if (to - from == ROWS_PER_INSERT) {
                    if (full == null) {
                        full = raw.prepareStatement(insertSql(insert, ROWS_PER_INSERT));
                    }
                    statement = full;
                } else {
                    statement = raw.prepareStatement(insertSql(insert, to - from));
                }
                try {
                    int p = 1;
                    for (int i = from; i < to; i++) {
                        @Nullable String[] row = rows.get(i);
                        statement.setString(p++, row[0]);
                        statement.setLong(p++, Long.parseLong(row[1]));
                        for (int c = 2; c < row.length; c++) {
                            statement.setString(p++, row[c]);
                        }
                        statement.setObject(p++, now);
                    }
                    statement.executeUpdate();
                } finally {
                    if (statement != full) {
                        statement.close();
                    }
                }
            }
        } finally {
            if (full != null) {
                full.close();
            }
        }
    }

    private static long length(@Nullable String[] row) {
        long chars = 0;
        for (String value : row) {
            chars += value == null ? 0 : value.length();
        }
        return chars;
    }

    private static String insertSql(String insert, int rows) {
        StringBuilder sql = new StringBuilder(insert.length() + rows * 18).append(insert);
        for (int i = 0; i < rows; i++) {
            sql.append(i == 0 ? "" : ",").append("(?,?,?,?,?,?,?,?)");
        }
        return sql.toString();
    }

    /** The key as a JSON object of key column to value token, in key order (what {@link Json#object} writes). */
    public static String keyJson(TableInfo table, List<String> key) {
        StringBuilder json = new StringBuilder(24 * key.size() + 2).append('{');
        for (int k = 0; k < key.size(); k++) {
            json.append(k == 0 ? "" : ",")
                    .append(Json.name(table.key().get(k).name()))
                    .append(':')
                    .append(key.get(k));
        }
        return json.append('}').toString();
    }
}
