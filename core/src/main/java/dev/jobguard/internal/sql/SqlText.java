package dev.jobguard.internal.sql;

/** SQL text as the guard shows it in reports, logs and exceptions. */
public final class SqlText {

    /** Longest statement text shown, in characters. */
    public static final int MAX_LENGTH = 500;

    private SqlText() {}

    /** The statement on one line, white space folded, cut at {@link #MAX_LENGTH}; null stays null. */
    public static String shorten(String sql) {
        if (sql == null) {
            return null;
        }
        String oneLine = sql.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= MAX_LENGTH ? oneLine : oneLine.substring(0, MAX_LENGTH) + "...";
    }
}
