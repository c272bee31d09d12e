package dev.jobguard.journal;

import dev.jobguard.run.RunContext;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The journal entries of one connection's open transaction, kept until it commits and then written to {@code
 * jobguard_change} in it, with each changed row's after-image read as the run left it. Used by one connection at a
 * time ({@link ConnectionJournal}).
 */
final class PendingEntries {

    /** Keys per read of the rows' after-images. */
    static final int KEYS_PER_READ = 500;
    /** Rows per INSERT into the journal table. */
    static final int ROWS_PER_INSERT = 500;
    /**
     * Characters of images per INSERT into the journal table, beyond its first row: a statement stays within the
     * packet a server takes (MariaDB 16 MB, MySQL 5.7 4 MB, by default) also when the rows are large.
     */
    static final int CHARS_PER_INSERT = 1_000_000;

    private final List<Entry> pending = new ArrayList<>();

    /**
     * An entry not yet written.
     *
     * @param columns the columns its after-image holds: an UPDATE's SET columns and key; null for the whole row
     */
    private record Entry(
            RunContext run,
            long seq,
            TableInfo table,
            String operation,
            List<String> key,
            String before,
            List<String> columns,
            String rowId,
            String after) {

        Entry(RunContext run, long seq, TableInfo table, String operation, List<String> key, String before) {
            this(
                    run,
                    seq,
                    table,
                    operation,
                    key,
                    before,
                    null,
                    key == null ? null : PendingEntries.rowId(table, key),
                    null);
        }

        /** Whether its after-image is read back at the commit (not evaluated with its before-image). */
        boolean readsAfter() {
            return key != null && after == null && !operation.equals("DELETE");
        }
    }

    /** A write that could not be journaled, with why. */
    void addGap(RunContext run, TableInfo table, String why) {
        pending.add(new Entry(run, run.nextJournalSeq(), table, JournalEntry.GAP, null, why));
    }

    /** A row an INSERT added; its after-image is read at the commit. */
    void addInsert(RunContext run, TableInfo table, List<String> key) {
        pending.add(new Entry(run, run.nextJournalSeq(), table, "INSERT", key, null));
    }

    /**
     * A row an UPDATE or DELETE changes.
     *
     * @param columns the columns its images hold (an UPDATE's key and SET columns), null for whole rows
     * @param after its after-image when evaluated with the before-image, else null (read at the commit)
     */
    void addChange(
            RunContext run,
            TableInfo table,
            String operation,
            List<String> key,
            String before,
            List<String> columns,
            String after) {
        pending.add(
                new Entry(run, run.nextJournalSeq(), table, operation, key, before, columns, rowId(table, key), after));
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    /** The transaction rolled back: its entries go with it. */
    void clear() {
        pending.clear();
    }

    /**
     * Writes the waiting entries in the connection's transaction, just before it commits: reads each changed row as
     * the run left it (its after-image, for the revert's conflict check) and inserts the entries.
     */
    void write(Connection raw, Journaling support) throws SQLException {
        if (pending.isEmpty()) {
            return;
        }
        List<Entry> entries = new ArrayList<>(pending);
        pending.clear();
        ChangeJournal journal = entries.get(0).run().journal();
        support.ensureTables(journal);
        Map<String, Map<String, String>> after = readAfter(raw, support, entries);
        Map<String, Integer> lastOfRow = new HashMap<>();
        // the columns the row's after-image holds: every column its entries in this transaction touched
        Map<String, Set<String>> columnsOfRow = new HashMap<>();
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            if (entry.readsAfter()) {
                lastOfRow.put(entry.rowId(), i);
                if (entry.columns() == null) {
                    columnsOfRow.put(entry.rowId(), null);
                } else if (!columnsOfRow.containsKey(entry.rowId()) || columnsOfRow.get(entry.rowId()) != null) {
                    columnsOfRow
                            .computeIfAbsent(entry.rowId(), r -> new LinkedHashSet<>())
                            .addAll(entry.columns());
                }
            }
        }
        List<String[]> rows = new ArrayList<>(entries.size());
        for (int i = 0; i < entries.size(); i++) {
            Entry entry = entries.get(i);
            String key = entry.key() == null ? null : keyJson(entry.table(), entry.key());
            String afterImage = entry.after();
            if (entry.readsAfter() && lastOfRow.get(entry.rowId()) == i) {
                afterImage = image(after.get(entry.rowId()), columnsOfRow.get(entry.rowId()));
            }
            rows.add(new String[] {
                entry.run().runId(),
                Long.toString(entry.seq()),
                entry.table() == null ? "?" : entry.table().reference(),
                entry.operation(),
                key,
                entry.before(),
                afterImage
            });
        }
        LocalDateTime now = LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS);
        if (support.dialect(raw) != JournalDialect.POSTGRESQL
                || !support.copy().copy(raw, journal.changeTable(), rows, now)) {
            insert(raw, journal.changeTable(), rows, now);
        }
    }

    /**
     * Writes the rows with multi-row INSERTs, up to {@link #ROWS_PER_INSERT} and {@link #CHARS_PER_INSERT} at a time,
     * one statement reused.
     */
    private static void insert(Connection raw, String table, List<String[]> rows, LocalDateTime now)
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
                        String[] row = rows.get(i);
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

    private static long length(String[] row) {
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

    /** An after-image of the columns given (all when null), or null for a row not found. */
    private static String image(Map<String, String> values, Set<String> columns) {
        if (values == null) {
            return null;
        }
        if (columns == null) {
            return Json.object(values);
        }
        Map<String, String> kept = new LinkedHashMap<>();
        for (String column : columns) {
            if (values.containsKey(column)) {
                kept.put(column, values.get(column));
            }
        }
        return Json.object(kept);
    }

    /** The rows (their final state in this transaction) of every INSERT and UPDATE entry, by row id. */
    private static Map<String, Map<String, String>> readAfter(Connection raw, Journaling support, List<Entry> entries)
            throws SQLException {
        Map<TableInfo, Map<String, List<String>>> keysByTable = new LinkedHashMap<>();
        Map<TableInfo, Set<String>> columnsByTable = new HashMap<>();
        for (Entry entry : entries) {
            if (entry.readsAfter()) {
                keysByTable
                        .computeIfAbsent(entry.table(), t -> new LinkedHashMap<>())
                        .put(entry.rowId(), entry.key());
                if (entry.columns() == null) {
                    columnsByTable.put(entry.table(), null);
                } else if (!columnsByTable.containsKey(entry.table()) || columnsByTable.get(entry.table()) != null) {
                    columnsByTable
                            .computeIfAbsent(entry.table(), t -> new LinkedHashSet<>())
                            .addAll(entry.columns());
                }
            }
        }
        Map<String, Map<String, String>> after = new HashMap<>();
        JournalDialect dialect = support.dialect(raw);
        ChangeJournal journal = entries.get(0).run().journal();
        for (Map.Entry<TableInfo, Map<String, List<String>>> table : keysByTable.entrySet()) {
            TableInfo info = table.getKey();
            Set<String> columns = columnsByTable.get(info);
            String select = "SELECT " + (columns == null ? "*" : dialect.columnList(List.copyOf(columns))) + " FROM "
                    + info.reference() + " WHERE ";
            List<List<String>> keys = new ArrayList<>(table.getValue().values());
            for (int from = 0; from < keys.size(); from += KEYS_PER_READ) {
                List<List<String>> chunk = keys.subList(from, Math.min(keys.size(), from + KEYS_PER_READ));
                try (PreparedStatement statement =
                        raw.prepareStatement(select + KeySql.in(info, chunk.size(), dialect))) {
                    KeySql.bind(statement, 1, info, chunk, dialect);
                    try (ResultSet result = statement.executeQuery()) {
                        RowReader reader = new RowReader(result, info, journal);
                        while (result.next()) {
                            after.put(rowId(info, reader.key()), reader.values());
                        }
                    }
                }
            }
        }
        return after;
    }

    static String rowId(TableInfo table, List<String> key) {
        return key.size() == 1
                ? table.reference() + '\u0000' + key.get(0)
                : table.reference() + '\u0000' + String.join("\u0000", key);
    }

    /** The key as a JSON object of key column to value token, in key order (what {@link Json#object} writes). */
    static String keyJson(TableInfo table, List<String> key) {
        StringBuilder json = new StringBuilder(24 * key.size() + 2).append('{');
        for (int k = 0; k < key.size(); k++) {
            json.append(k == 0 ? "" : ",")
                    .append(Json.string(table.key().get(k).name()))
                    .append(':')
                    .append(key.get(k));
        }
        return json.append('}').toString();
    }
}
