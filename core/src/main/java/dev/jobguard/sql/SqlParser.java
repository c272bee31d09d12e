package dev.jobguard.sql;

import java.time.Duration;
import java.util.Optional;
import net.sf.jsqlparser.statement.Statement;

/** JSqlParser's direct parser within a time box, for the parts of jobguard that need the statement's tree. */
public final class SqlParser {

    private SqlParser() {}

    /** The tree of a single statement, or empty when it does not parse within the time-out or holds several. */
    public static Optional<Statement> parseOne(String sql, Duration timeout) {
        TimeBoxedParser.Result result = TimeBoxedParser.parse(sql, System.nanoTime() + timeout.toNanos());
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
            if (c == '\'' || c == '"' || c == '`') {
                int close = sql.indexOf(c, i + 1);
                i = close < 0 ? length - 1 : close;
                end = i + 1;
            } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                int newline = sql.indexOf('\n', i);
                i = newline < 0 ? length : newline;
            } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                int close = sql.indexOf("*/", i + 2);
                i = close < 0 ? length : close + 1;
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
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int close = sql.indexOf(c, i + 1);
                i = close < 0 ? length : close;
            } else if (c == '-' && i + 1 < length && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? length : end;
            } else if (c == '/' && i + 1 < length && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? length : end + 1;
            } else if (c == '?') {
                if (i + 1 < length && sql.charAt(i + 1) == '?') {
                    i++;
                } else {
                    count++;
                }
            }
        }
        return count;
    }
}
