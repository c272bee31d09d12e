package dev.jobguard.internal.sql;

import java.time.Duration;
import java.util.Optional;
import net.sf.jsqlparser.statement.Statement;
import org.jspecify.annotations.Nullable;

/** JSqlParser's direct parser within a time box, for the parts of jobguard that need the statement's tree. */
public final class SqlParser {

    private SqlParser() {}

    /** The tree of a single statement, or empty when it does not parse within the time-out or holds several. */
    public static Optional<Statement> parseOne(String sql, Duration timeout) {
        return parseOne(sql, timeout, null);
    }

    /**
     * {@link #parseOne(String, Duration)}, trying once more with {@code retryTimeout} when the first attempt ran out
     * of time: on a cold JVM (the parser's classes still loading) or a busy machine, a statement that parses in
     * microseconds once warm can take longer than the first time-out, and a caller that cannot do without the tree
     * should not give up on it for that.
     *
     * @param retryTimeout the second attempt's time-out, or null for none
     */
    public static Optional<Statement> parseOne(String sql, Duration timeout, @Nullable Duration retryTimeout) {
        TimeBoxedParser.Result result = TimeBoxedParser.parse(sql, System.nanoTime() + timeout.toNanos());
        if (result.outcome() == TimeBoxedParser.Outcome.TIMED_OUT && retryTimeout != null) {
            result = TimeBoxedParser.parse(sql, System.nanoTime() + retryTimeout.toNanos());
        }
        if (result.outcome() != TimeBoxedParser.Outcome.PARSED
                || result.statements().size() != 1) {
            return Optional.empty();
        }
        return Optional.ofNullable(result.statements().get(0));
    }

    /**
     * The statement without what follows its last token: white space, comments and semicolons. pgjdbc takes {@code
     * INSERT ...; -- note} for two statements once asked for generated keys, and a clause appended after a comment
     * would be part of it.
     */
    public static String withoutTerminator(String sql) {
        int end = 0;
        int length = sql.length();
        for (int i = 0; i < length; i++) {
            char c = sql.charAt(i);
            int skipped = skipQuotedOrComment(sql, i);
            if (skipped > i) {
                if (c != '-' && c != '/') { // a literal or quoted name is a token
                    end = Math.min(skipped + 1, length);
                }
                i = skipped;
            } else if (c != ';' && !Character.isWhitespace(c)) {
                end = i + 1;
            }
        }
        return end == length ? sql : sql.substring(0, end);
    }

    /**
     * How many JDBC {@code ?} parameters a piece of SQL text holds, outside string literals, quoted identifiers
     * and comments ({@code ??} is an escaped question mark, not a parameter).
     */
    public static int countParameters(String sql) {
        int count = 0;
        int length = sql.length();
        for (int i = 0; i < length; i++) {
            int skipped = skipQuotedOrComment(sql, i);
            if (skipped > i) {
                i = skipped;
            } else if (sql.charAt(i) == '?') {
                if (i + 1 < length && sql.charAt(i + 1) == '?') {
                    i++;
                } else {
                    count++;
                }
            }
        }
        return count;
    }

    /**
     * Where the string literal, quoted identifier or comment starting at {@code i} ends (its last character, or the
     * text's length when it does not end); {@code i} when none starts there.
     */
    private static int skipQuotedOrComment(String sql, int i) {
        int length = sql.length();
        char c = sql.charAt(i);
        if (c == '\'' || c == '"' || c == '`') {
            int close = sql.indexOf(c, i + 1);
            return close < 0 ? length : close;
        }
        if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
            int newline = sql.indexOf('\n', i);
            return newline < 0 ? length : newline;
        }
        if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
            int close = sql.indexOf("*/", i + 2);
            return close < 0 ? length : close + 1;
        }
        return i;
    }
}
