package dev.jobguard.internal.journal;

import dev.jobguard.internal.dialect.Dialect;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** SQL that finds rows by primary key: {@code id IN (?, ?)}, or {@code (a, b) IN ((?, ?), (?, ?))}. */
public final class KeySql {

    private KeySql() {}

    public static String in(TableInfo table, int keys, Dialect dialect) {
        StringBuilder sql = new StringBuilder();
        List<Column> key = table.key();
        if (key.size() == 1) {
            sql.append(dialect.quote(key.get(0).name())).append(" IN (");
            for (int i = 0; i < keys; i++) {
                sql.append(i == 0 ? "?" : ",?");
            }
            return sql.append(')').toString();
        }
        sql.append('(');
        for (int k = 0; k < key.size(); k++) {
            sql.append(k == 0 ? "" : ",").append(dialect.quote(key.get(k).name()));
        }
        sql.append(") IN (");
        String tuple = "(" + "?,".repeat(key.size() - 1) + "?)";
        for (int i = 0; i < keys; i++) {
            sql.append(i == 0 ? "" : ",").append(tuple);
        }
        return sql.append(')').toString();
    }

    /** The condition on one row: {@code a = ? AND b = ?}. */
    public static String equal(TableInfo table, Dialect dialect) {
        StringBuilder sql = new StringBuilder();
        for (Column column : table.key()) {
            sql.append(sql.length() == 0 ? "" : " AND ")
                    .append(dialect.quote(column.name()))
                    .append(" = ?");
        }
        return sql.toString();
    }

    /** Binds the keys' tokens from parameter {@code first} on; returns the next free parameter. */
    public static int bind(
            PreparedStatement statement, int first, TableInfo table, List<List<String>> keys, Dialect dialect)
            throws SQLException {
        int p = first;
        for (List<String> key : keys) {
            for (int k = 0; k < key.size(); k++) {
                ValueCodec.bind(statement, p++, table.key().get(k), key.get(k), dialect);
            }
        }
        return p;
    }

    /** A key's value tokens in key order, from its JSON ({@link EntryWriter#keyJson}); key columns matched by name. */
    public static List<String> tokens(TableInfo table, String keyJson) {
        Map<String, String> key = Json.parseObject(keyJson);
        List<String> tokens = new ArrayList<>(table.key().size());
        for (Column column : table.key()) {
            String token = key.get(column.name());
            if (token == null) {
                for (Map.Entry<String, String> part : key.entrySet()) {
                    if (part.getKey().equalsIgnoreCase(column.name())) {
                        token = part.getValue();
                    }
                }
            }
            tokens.add(token);
        }
        return tokens;
    }
}
