package dev.jobguard.internal.sql;

import org.jspecify.annotations.Nullable;

/** SQL text as the guard shows it in reports, logs and exceptions. */
public final class SqlText {

    /** Longest statement text shown, in characters. */
    public static final int MAX_LENGTH = 500;

    private SqlText() {}

    /** The statement on one line, white space folded, cut at {@link #MAX_LENGTH}. */
    public static String shorten(String sql) {
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_LENGTH ? oneLine : oneLine.substring(0, MAX_LENGTH) + "...";
    }

    /** {@link #shorten}, null staying null. */
    public static @Nullable String shortenOrNull(@Nullable String sql) {
        return sql == null ? null : shorten(sql);
    }
}
