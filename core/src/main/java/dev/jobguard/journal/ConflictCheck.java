package dev.jobguard.journal;

import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.journal.EntryWriter;
import dev.jobguard.internal.journal.Json;
import dev.jobguard.internal.journal.KeySql;
import dev.jobguard.internal.journal.RowReader;
import dev.jobguard.internal.journal.TableInfo;
import dev.jobguard.journal.RevertReport.Conflict;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * A revert's conflict check, fed the run's entries grouped by row key ({@link JournalReader#byKey}, or by position
 * when no key repeats): each row the run changed is compared, a batch of rows per table at a time, with what the run
 * left in it. Holds one batch per table, the first {@link RevertReport#LISTED_CONFLICTS} conflicts, and, only when
 * the revert goes on past conflicts ({@code force}), the ids of the conflicting rows it must skip.
 */
final class ConflictCheck {

    /** Finds a table the journal names. */
    @FunctionalInterface
    interface Tables {
        TableInfo get(String reference) throws SQLException;
    }

    private static final int BATCH = 500;

    private final Connection connection;
    private final Dialect dialect;
    private final ChangeJournal journal;
    private final Tables tables;
    private final boolean keepRows;

    private final List<JournalEntry> group = new ArrayList<>();
    private final Map<TableInfo, List<Row>> waiting = new LinkedHashMap<>();
    private final List<Conflict> listed = new ArrayList<>();
    private final Set<String> conflicting = new HashSet<>();
    private long count;

    /** A row to check: its id, its newest entry, and the values the run left in it (null: the run left no row). */
    private record Row(
            String id, JournalEntry last, @Nullable Map<String, String> expected) {}

    /** @param keepRows remember the conflicting rows ({@link #conflicting}), for a revert that skips them */
    ConflictCheck(Connection connection, Dialect dialect, ChangeJournal journal, Tables tables, boolean keepRows) {
        this.connection = connection;
        this.dialect = dialect;
        this.journal = journal;
        this.tables = tables;
        this.keepRows = keepRows;
    }

    /** The next entry; entries of one key come together, oldest first. */
    void accept(JournalEntry entry) throws SQLException {
        if (!group.isEmpty() && !group.get(0).rowKey().equals(entry.key())) {
            endGroup();
        }
        group.add(entry);
    }

    /** Checks what waits; call once after the last entry. */
    void finish() throws SQLException {
        endGroup();
        for (Map.Entry<TableInfo, List<Row>> table : waiting.entrySet()) {
            check(table.getKey(), table.getValue());
        }
        waiting.clear();
    }

    long count() {
        return count;
    }

    List<Conflict> listed() {
        return listed;
    }

    /** The ids ({@link Reverter#rowId}) of the conflicting rows; empty unless asked to keep them. */
    Set<String> conflicting() {
        return conflicting;
    }

    /** The entries of one key: one row per table (a table named in several ways is one table). */
    private void endGroup() throws SQLException {
        if (group.isEmpty()) {
            return;
        }
        Map<String, List<JournalEntry>> byRow = new LinkedHashMap<>();
        for (JournalEntry entry : group) {
            byRow.computeIfAbsent(Reverter.rowId(tables.get(entry.table()), entry), r -> new ArrayList<>(1))
                    .add(entry);
        }
        group.clear();
        for (Map.Entry<String, List<JournalEntry>> row : byRow.entrySet()) {
            List<JournalEntry> entries = row.getValue();
            JournalEntry last = entries.get(entries.size() - 1);
            TableInfo info = tables.get(last.table());
            List<Row> rows = waiting.computeIfAbsent(info, t -> new ArrayList<>(BATCH));
            rows.add(new Row(row.getKey(), last, leftByRun(entries)));
            if (rows.size() >= BATCH) {
                check(info, rows);
                rows.clear();
            }
        }
    }

    private void check(TableInfo info, List<Row> rows) throws SQLException {
        if (rows.isEmpty()) {
            return;
        }
        Map<String, Map<String, String>> current = currentRows(info, rows);
        for (Row row : rows) {
            String detail = difference(current.get(row.last().rowKey()), row.expected());
            if (detail != null) {
                count++;
                if (listed.size() < RevertReport.LISTED_CONFLICTS) {
                    listed.add(new Conflict(row.last().table(), row.last().rowKey(), detail));
                }
                if (keepRows) {
                    conflicting.add(row.id());
                }
            }
        }
    }

    /**
     * The values the run left in a row, column by column, from its entries' after-images newest first (an UPDATE's
     * image holds the columns it set); null when the run left no such row.
     */
    private static @Nullable Map<String, String> leftByRun(List<JournalEntry> entries) {
        Map<String, String> expected = new LinkedHashMap<>();
        for (int i = entries.size() - 1; i >= 0; i--) {
            JournalEntry entry = entries.get(i);
            if (entry.operation().equals("DELETE")) {
                break; // older values belong to a row the run deleted
            }
            if (entry.after() != null) {
                Json.parseObject(entry.after()).forEach(expected::putIfAbsent);
            }
            if (entry.operation().equals("INSERT")) {
                break; // the row did not exist before
            }
        }
        return expected.isEmpty() ? null : expected;
    }

    private static @Nullable String difference(
            @Nullable Map<String, String> now, @Nullable Map<String, String> expected) {
        if (expected == null) {
            return now == null ? null : "the run left no such row, and now it exists";
        }
        if (now == null) {
            return "deleted since the run";
        }
        for (Map.Entry<String, String> column : expected.entrySet()) {
            String value = now.get(column.getKey());
            if (!sameValue(value, column.getValue())) {
                return "changed since the run: " + column.getKey() + " is " + value + ", the run left "
                        + column.getValue();
            }
        }
        return null;
    }

    private static String asBoolean(String token) {
        return switch (token) {
            case "1" -> "true";
            case "0" -> "false";
            default -> token;
        };
    }

    /** Equal tokens, or equal numbers whatever their scale (1.5 and 1.50). */
    private static boolean sameValue(@Nullable String now, @Nullable String left) {
        if (Objects.equals(now, left)) {
            return true;
        }
        if (now == null || left == null || now.startsWith("\"") || left.startsWith("\"")) {
            return false;
        }
        if (now.equals("true") || now.equals("false") || left.equals("true") || left.equals("false")) {
            return asBoolean(now).equals(asBoolean(left)); // a BOOLEAN read as 1/0 (MySQL)
        }
        try {
            return new BigDecimal(now).compareTo(new BigDecimal(left)) == 0;
        } catch (NumberFormatException notNumbers) {
            return false;
        }
    }

    /** The current rows of the rows' keys, locked, as column tokens by key JSON. */
    private Map<String, Map<String, String>> currentRows(TableInfo info, List<Row> rows) throws SQLException {
        Map<String, Map<String, String>> current = new HashMap<>();
        List<List<String>> keys = new ArrayList<>(rows.size());
        for (Row row : rows) {
            keys.add(KeySql.tokens(info, row.last().rowKey()));
        }
        String sql = "SELECT * FROM " + info.reference() + " WHERE " + KeySql.in(info, keys.size(), dialect)
                + dialect.lockClause();
        try (PreparedStatement select = connection.prepareStatement(sql)) {
            KeySql.bind(select, 1, info, keys, dialect);
            try (ResultSet result = select.executeQuery()) {
                RowReader reader = new RowReader(result, info, journal.tables());
                while (result.next()) {
                    current.put(EntryWriter.keyJson(info, reader.key()), reader.values());
                }
            }
        }
        return current;
    }
}
