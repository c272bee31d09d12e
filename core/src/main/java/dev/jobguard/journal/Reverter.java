package dev.jobguard.journal;

import dev.jobguard.internal.dialect.Dialect;
import dev.jobguard.internal.journal.Column;
import dev.jobguard.internal.journal.Json;
import dev.jobguard.internal.journal.KeySql;
import dev.jobguard.internal.journal.TableInfo;
import dev.jobguard.internal.journal.ValueCodec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One revert: checks the run's rows against what the run left, then undoes its entries in reverse order. */
final class Reverter {

    private static final int BATCH = 500;

    private final ChangeJournal journal;
    private final Connection connection;
    private final Dialect dialect;
    private final Map<String, TableInfo> tables = new HashMap<>();

    private final ChangeJournal.@Nullable RevertHook hook;

    Reverter(ChangeJournal journal, Connection connection, Dialect dialect, ChangeJournal.@Nullable RevertHook hook) {
        this.journal = journal;
        this.hook = hook;
        this.connection = connection;
        this.dialect = dialect;
    }

    RevertReport revert(String runId, RevertOptions options) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            RevertReport report = revertInTransaction(runId, options);
            if (options.dryRun() || !report.applied()) {
                connection.rollback();
            } else {
                connection.commit();
            }
            return report;
        } catch (SQLException | RuntimeException failure) {
            connection.rollback();
            throw failure;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private RevertReport revertInTransaction(String runId, RevertOptions options) throws SQLException {
        refuseRepeat(runId);
        JournalReader reader = new JournalReader(journal, connection);
        List<String> gaps = reader.gaps(runId);
        ConflictCheck check = new ConflictCheck(connection, dialect, journal, this::table, options.force());
        // entries one row at a time: by position when each row has one entry (pages by the journal's key), else by key
        long entries = reader.keysRepeat(runId)
                ? reader.byKey(runId, check::accept)
                : reader.bySeq(runId, false, check::accept);
        check.finish();
        if (entries == 0 && gaps.isEmpty()) {
            throw new RevertException(
                    RevertException.Reason.NO_JOURNAL,
                    "jobguard: run " + runId + " has no change journal: it wrote nothing, ran without journal = true,"
                            + " its journal was purged, or the run id is wrong",
                    null);
        }
        if (check.count() > 0 && !options.force()) {
            return new RevertReport(
                    runId, null, options.dryRun(), false, Map.of(), check.listed(), gaps, check.count());
        }
        Map<String, Map<String, Long>> counts = apply(reader, runId, check.conflicting());
        RevertReport report = new RevertReport(
                runId,
                UUID.randomUUID().toString(),
                options.dryRun(),
                true,
                counts,
                check.listed(),
                gaps,
                check.count());
        record(report, options);
        if (hook != null && !options.dryRun()) {
            hook.applied(connection, report);
        }
        return report;
    }

    private void refuseRepeat(String runId) throws SQLException {
        try (PreparedStatement select = connection.prepareStatement("SELECT run_id, revert_id, reverted_at, actor FROM "
                + journal.revertTable() + " WHERE run_id = ? OR revert_id = ?")) {
            select.setString(1, runId);
            select.setString(2, runId);
            try (ResultSet rows = select.executeQuery()) {
                if (rows.next()) {
                    String reverted = rows.getString(1);
                    if (runId.equals(rows.getString(2))) {
                        throw new RevertException(
                                RevertException.Reason.REFUSED,
                                "jobguard: " + runId + " is itself a revert (of run " + reverted
                                        + "); a revert cannot be reverted",
                                null);
                    }
                    throw new RevertException(
                            RevertException.Reason.REFUSED,
                            "jobguard: run " + runId + " was reverted already, by " + rows.getString(4) + " at "
                                    + rows.getObject(3, LocalDateTime.class).toInstant(ZoneOffset.UTC) + " (revert "
                                    + rows.getString(2)
                                    + "); a run is reverted once",
                            null);
                }
            }
        }
    }

    /** An entry to undo, with its before-image read once (empty for an INSERT's). */
    private record Undo(JournalEntry entry, Map<String, String> before) {

        static Undo of(JournalEntry entry) {
            return new Undo(entry, entry.before() == null ? Map.of() : Json.parseObject(entry.before()));
        }

        /** Entries of one shape run as one batch: same table, operation and columns. */
        String shape() {
            return entry.table() + '\u0000' + entry.operation() + '\u0000' + String.join(",", before.keySet());
        }
    }

    /**
     * Undoes the run's entries, newest first, a page at a time, skipping conflicting rows; returns rows per table and
     * kind.
     */
    private Map<String, Map<String, Long>> apply(JournalReader reader, String runId, Set<String> conflicting)
            throws SQLException {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        List<Undo> group = new ArrayList<>();
        String[] groupShape = {null};
        reader.bySeq(runId, true, entry -> {
            if (!conflicting.isEmpty() && conflicting.contains(rowId(table(entry.table()), entry))) {
                return;
            }
            Undo undo = Undo.of(entry);
            String shape = undo.shape();
            if (!shape.equals(groupShape[0]) || group.size() >= BATCH) {
                execute(group, counts);
                group.clear();
                groupShape[0] = shape;
            }
            group.add(undo);
        });
        execute(group, counts);
        return counts;
    }

    private void execute(List<Undo> group, Map<String, Map<String, Long>> counts) throws SQLException {
        if (group.isEmpty()) {
            return;
        }
        JournalEntry first = group.get(0).entry();
        TableInfo info = table(first.table());
        String kind;
        String sql;
        List<String> columns = List.of();
        switch (first.operation()) {
            case "INSERT" -> {
                kind = "removed";
                sql = "DELETE FROM " + info.reference() + " WHERE " + KeySql.equal(info, dialect);
            }
            case "UPDATE" -> {
                kind = "restored";
                columns = new ArrayList<>(group.get(0).before().keySet());
                columns.removeIf(column -> isKey(info, column));
                StringBuilder set = new StringBuilder();
                for (String column : columns) {
                    set.append(set.length() == 0 ? "" : ", ")
                            .append(dialect.quote(column))
                            .append(" = ?");
                }
                if (columns.isEmpty()) {
                    return; // only key columns: nothing to restore
                }
                sql = "UPDATE " + info.reference() + " SET " + set + " WHERE " + KeySql.equal(info, dialect);
            }
            case "DELETE" -> {
                kind = "reinserted";
                columns = new ArrayList<>(group.get(0).before().keySet());
                // what the database computes it computes again; it refuses a value for such a column
                columns.removeIf(column -> {
                    Column known = info.column(column);
                    return known != null && known.generated();
                });
                StringBuilder names = new StringBuilder();
                for (String column : columns) {
                    names.append(names.length() == 0 ? "" : ", ").append(dialect.quote(column));
                }
                // the row's own key, also into a GENERATED ALWAYS identity
                sql = "INSERT INTO " + info.reference() + " (" + names + ")"
                        + (info.identityAlways() ? " OVERRIDING SYSTEM VALUE" : "") + " VALUES ("
                        + "?,".repeat(columns.size() - 1) + "?)";
            }
            default -> throw new IllegalStateException("jobguard: unknown journal operation " + first.operation());
        }
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            for (Undo undo : group) {
                JournalEntry entry = undo.entry();
                int p = 1;
                if (!kind.equals("removed")) {
                    Map<String, String> before = undo.before();
                    for (String column : columns) {
                        Column type = info.column(column);
                        if (type == null) {
                            throw new RevertException(
                                    RevertException.Reason.FAILED,
                                    "jobguard: table " + info.reference() + " has no column " + column
                                            + " any more; the journal cannot be applied to it",
                                    null);
                        }
                        ValueCodec.bind(statement, p++, type, before.get(column), dialect);
                    }
                }
                if (!kind.equals("reinserted")) {
                    KeySql.bind(statement, p, info, List.of(KeySql.tokens(info, entry.rowKey())), dialect);
                }
                statement.addBatch();
            }
            int[] results = statement.executeBatch();
            for (int i = 0; i < results.length; i++) {
                if (results[i] == 0) {
                    throw new RevertException(
                            RevertException.Reason.FAILED,
                            "jobguard: revert stopped, nothing was applied: row "
                                    + group.get(i).entry().key() + " of " + info.reference() + " was not found to be "
                                    + kind,
                            null);
                }
            }
        }
        counts.computeIfAbsent(first.table(), t -> new TreeMap<>()).merge(kind, (long) group.size(), Long::sum);
    }

    /** Records the revert in the revert table, in its transaction: a run is reverted once. */
    private void record(RevertReport report, RevertOptions options) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + journal.revertTable()
                + " (run_id, revert_id, reverted_at, actor, reason, rows_reverted, conflicts, partial_revert)"
                + " VALUES (?,?,?,?,?,?,?,?)")) {
            insert.setString(1, report.runId());
            insert.setString(2, report.revertId());
            insert.setObject(3, LocalDateTime.now(ZoneOffset.UTC).truncatedTo(ChronoUnit.MILLIS));
            insert.setString(4, options.actor());
            insert.setString(5, options.reason());
            insert.setLong(6, report.rowsReverted());
            insert.setLong(7, report.conflictCount());
            insert.setBoolean(8, report.partial());
            insert.executeUpdate();
        }
    }

    private TableInfo table(String reference) throws SQLException {
        TableInfo known = tables.get(reference);
        if (known == null) {
            known = TableInfo.read(connection, reference);
            if (!known.hasKey()) {
                throw new RevertException(
                        RevertException.Reason.FAILED,
                        "jobguard: table " + reference + " has no primary key any more; its rows cannot be found",
                        null);
            }
            tables.put(reference, known);
        }
        return known;
    }

    private static boolean isKey(TableInfo info, String column) {
        for (Column key : info.key()) {
            if (key.name().equalsIgnoreCase(column)) {
                return true;
            }
        }
        return false;
    }

    /** The row an entry changed: its table by {@link TableInfo#identity}, however the run's SQL named it. */
    static String rowId(TableInfo table, JournalEntry entry) {
        return table.identity() + '\u0000' + entry.key();
    }
}
