package dev.jobguard.internal.sql;

import org.jspecify.annotations.Nullable;

/** SQL text as the guard shows it in reports, logs and exceptions. */
public final class SqlText {

    /** Longest statement text shown, in characters. */
    public static final int MAX_LENGTH = 500;

    private SqlText() {}

    /** The statement on one line, white space folded, cut at {@link #MAX_LENGTH}. */
    public static String shorten(String sql) {
        String oneLine = folded(sql.strip());
        return oneLine.length() <= MAX_LENGTH ? oneLine : oneLine.substring(0, MAX_LENGTH) + "...";
    }

    /** Each run of white space ({@code \s}: space, tab, line feed, vertical tab, form feed, carriage return) as one space. */
    private static String folded(String text) {
        StringBuilder out = null;
        int length = text.length();
        for (int i = 0; i < length; i++) {
            char c = text.charAt(i);
            if (!space(c)) {
                if (out != null) {
                    out.append(c);
                }
                continue;
            }
            int end = i + 1;
            while (end < length && space(text.charAt(end))) {
                end++;
            }
            if (out == null) {
                if (c == ' ' && end == i + 1) {
                    continue; // a single space stays as it is
                }
                out = new StringBuilder(length).append(text, 0, i);
            }
            out.append(' ');
            i = end - 1;
        }
        return out == null ? text : out.toString();
    }

    private static boolean space(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == 0x0B || c == '\f' || c == '\r';
    }

    /** {@link #shorten}, null staying null. */
    public static @Nullable String shortenOrNull(@Nullable String sql) {
        return sql == null ? null : shorten(sql);
    }
}
