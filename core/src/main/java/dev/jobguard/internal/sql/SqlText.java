package dev.jobguard.internal.sql;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** SQL text as the guard shows it in reports, logs and exceptions. */
public final class SqlText {

    /** Longest statement text shown, in characters. */
    public static final int MAX_LENGTH = 500;

    /** A run of white space, compiled once: a run's report folds each of its statements. */
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

    private SqlText() {}

    /** The statement on one line, white space folded, cut at {@link #MAX_LENGTH}. */
    public static String shorten(String sql) {
        String oneLine = WHITE_SPACE.matcher(sql.strip()).replaceAll(" ");
        return oneLine.length() <= MAX_LENGTH ? oneLine : oneLine.substring(0, MAX_LENGTH) + "...";
    }

    /** {@link #shorten}, null staying null. */
    public static @Nullable String shortenOrNull(@Nullable String sql) {
        return sql == null ? null : shorten(sql);
    }
}
