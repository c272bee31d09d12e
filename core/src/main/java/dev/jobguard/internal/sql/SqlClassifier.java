package dev.jobguard.internal.sql;

import dev.jobguard.internal.sql.SqlTokenizer.Piece;
import dev.jobguard.internal.sql.TimeBoxedParser.Outcome;
import dev.jobguard.internal.sql.TimeBoxedParser.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import net.sf.jsqlparser.statement.Statement;
import org.jspecify.annotations.Nullable;

/**
 * Classifies SQL strings statement by statement: kind, target table, whether rows come back. Parses with JSqlParser
 * within a time box and falls back to a token-level classifier when parsing fails or takes too long. Results,
 * failures included, are cached by SQL text in a bounded cache. Thread-safe; {@link #classify} never throws.
 */
public final class SqlClassifier {

    public static final int DEFAULT_CACHE_ENTRIES = 4096;
    public static final Duration DEFAULT_PARSE_TIMEOUT = Duration.ofMillis(200);

    /** Bounds the cache's memory too: the cached SQL texts hold at most this many characters in all. */
    static final long DEFAULT_MAX_CACHED_CHARS = 8_000_000;

    private static final int MAX_PARSE_NESTING = 200;

    private static final ClassifiedSql NULL_SQL = single(StatementKind.UNKNOWN, "");
    private static final ClassifiedSql BLANK_SQL = single(StatementKind.READ, "");

    private final int maxCacheEntries;
    private final long maxCachedChars;
    private final long parseTimeoutNanos;
    private final ConcurrentHashMap<String, ClassifiedSql> cache = new ConcurrentHashMap<>();
    private final Object cacheWriteLock = new Object();
    /** Guarded by cacheWriteLock. */
    private long cachedChars;
    /** Guarded by cacheWriteLock: walks the cache round-robin, evicting as it goes. */
    private Iterator<String> evictionHand = Collections.emptyIterator();

    /**
     * @param maxCacheEntries the most classifications kept; 0 disables the cache
     * @param parseTimeout how long JSqlParser may spend on one SQL string before the token fallback is used
     */
    public SqlClassifier(int maxCacheEntries, Duration parseTimeout) {
        this(maxCacheEntries, parseTimeout, DEFAULT_MAX_CACHED_CHARS);
    }

    SqlClassifier(int maxCacheEntries, @Nullable Duration parseTimeout, long maxCachedChars) {
        if (maxCacheEntries < 0) {
            throw new IllegalArgumentException(
                    "maxCacheEntries must be >= 0 (0 disables the cache), got " + maxCacheEntries);
        }
        if (parseTimeout == null || parseTimeout.isNegative() || parseTimeout.isZero()) {
            throw new IllegalArgumentException("parseTimeout must be positive, got " + parseTimeout);
        }
        this.maxCacheEntries = maxCacheEntries;
        this.maxCachedChars = maxCachedChars;
        this.parseTimeoutNanos = saturatedNanos(parseTimeout);
    }

    /** A classifier with {@link #DEFAULT_CACHE_ENTRIES} and {@link #DEFAULT_PARSE_TIMEOUT}. */
    public static SqlClassifier withDefaults() {
        return new SqlClassifier(DEFAULT_CACHE_ENTRIES, DEFAULT_PARSE_TIMEOUT);
    }

    /**
     * Classifies every statement in {@code sql}. Never throws: null gives one {@link StatementKind#UNKNOWN}
     * statement; a blank or comment-only string gives one {@link StatementKind#READ} statement with empty text that
     * returns no rows.
     */
    public ClassifiedSql classify(@Nullable String sql) {
        if (sql == null) {
            return NULL_SQL;
        }
        ClassifiedSql cached = cache.get(sql);
        if (cached != null) {
            return cached;
        }
        ClassifiedSql result = classifyUncached(sql);
        store(sql, result);
        return result;
    }

    /** The number of cached classifications; never more than the configured maximum. */
    public int cachedEntries() {
        return cache.size();
    }

    private ClassifiedSql classifyUncached(String sql) {
        try {
            List<Piece> pieces = SqlTokenizer.split(sql);
            if (pieces.isEmpty()) {
                return BLANK_SQL;
            }
            return new ClassifiedSql(parseOrFallBack(sql, pieces));
        } catch (RuntimeException | StackOverflowError e) {
            // last resort: a bug in the fallback must not break the caller's JDBC call
            return single(StatementKind.UNKNOWN, sql);
        }
    }

    /**
     * Parses the whole string once. If that fails, each statement is parsed on its own, so that one statement
     * JSqlParser does not know leaves the others parsed; after a timeout the rest goes straight to the fallback.
     */
    private List<SqlStatementInfo> parseOrFallBack(String sql, List<Piece> pieces) {
        long deadline = System.nanoTime() + parseTimeoutNanos;
        Outcome outcome = Outcome.FAILED;
        if (pieces.stream().allMatch(SqlClassifier::parseable)) {
            // one statement is parsed without the stray semicolons around it, which the parser rejects
            Result whole =
                    TimeBoxedParser.parse(pieces.size() == 1 ? pieces.get(0).text() : sql, deadline);
            if (whole.outcome() == Outcome.PARSED) {
                List<SqlStatementInfo> mapped = mapAll(whole.statements(), sql, pieces);
                if (mapped != null) {
                    return mapped;
                }
            }
            outcome = whole.outcome();
        }
        boolean parseEach = pieces.size() > 1 && outcome != Outcome.TIMED_OUT;
        List<SqlStatementInfo> infos = new ArrayList<>(pieces.size());
        for (Piece piece : pieces) {
            infos.add(
                    parseEach && parseable(piece)
                            ? parseOne(piece, deadline)
                            : outcome == Outcome.TIMED_OUT
                                    ? TokenClassifier.classify(piece)
                                    : fallBack(piece, deadline));
        }
        return infos;
    }

    /** JSqlParser's recursive descent is slow on deep nesting and overflows the stack a few hundred levels down. */
    private static boolean parseable(Piece piece) {
        return piece.nesting() <= MAX_PARSE_NESTING;
    }

    private static SqlStatementInfo parseOne(Piece piece, long deadline) {
        Result result = TimeBoxedParser.parse(piece.text(), deadline);
        if (result.outcome() == Outcome.PARSED && result.statements().size() == 1) {
            SqlStatementInfo info = map(result.statements().get(0), piece.text());
            if (info != null) {
                return info;
            }
        }
        return fallBack(piece, deadline);
    }

    /**
     * A statement the parser rejected: parsed once more without MySQL's {@code #} comments, which JSqlParser does not
     * know (a comment after the first word, {@code UPDATE # note}, made the token fallback read {@code #} as the table,
     * and it reads a multi-table UPDATE as its first table); else the token fallback.
     */
    private static SqlStatementInfo fallBack(Piece piece, long deadline) {
        String withoutComments = parseable(piece) ? withoutHashComments(piece.text()) : null;
        if (withoutComments != null) {
            Result result = TimeBoxedParser.parse(withoutComments, deadline);
            if (result.outcome() == Outcome.PARSED && result.statements().size() == 1) {
                SqlStatementInfo info = map(result.statements().get(0), piece.text());
                if (info != null) {
                    return info;
                }
            }
        }
        return TokenClassifier.classify(piece);
    }

    /**
     * The text with each {@code #} comment (a {@code #} outside quotes and other comments, followed by whitespace,
     * another {@code #} or the end) blanked to the end of its line, or null when it has none. A {@code #} followed by
     * a name is kept: a T-SQL temporary table.
     */
    static @Nullable String withoutHashComments(String text) {
        StringBuilder out = null;
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int end;
            if (c == '\'' || c == '"' || c == '`') {
                end = text.indexOf(c, i + 1);
                end = end < 0 ? text.length() : end + 1;
            } else if (text.startsWith("--", i)) {
                end = text.indexOf('\n', i);
                end = end < 0 ? text.length() : end;
            } else if (text.startsWith("/*", i)) {
                end = text.indexOf("*/", i + 2);
                end = end < 0 ? text.length() : end + 2;
            } else if (c == '#'
                    && (i + 1 == text.length()
                            || Character.isWhitespace(text.charAt(i + 1))
                            || text.charAt(i + 1) == '#')) {
                end = text.indexOf('\n', i);
                end = end < 0 ? text.length() : end;
                if (out == null) {
                    out = new StringBuilder(text);
                }
                for (int k = i; k < end; k++) {
                    out.setCharAt(k, ' ');
                }
            } else {
                end = i + 1;
            }
            i = end;
        }
        return out == null ? null : out.toString();
    }

    /**
     * Pairs parsed statements with their text. When the parser and the splitter disagree on the count (a
     * BEGIN ... END block holds semicolons) the whole text, or the parser's rendering, stands in.
     *
     * @return null when a statement could not be mapped
     */
    private static @Nullable List<SqlStatementInfo> mapAll(List<Statement> statements, String sql, List<Piece> pieces) {
        if (statements.isEmpty()) {
            return null;
        }
        List<SqlStatementInfo> infos = new ArrayList<>(statements.size());
        for (int i = 0; i < statements.size(); i++) {
            Statement statement = statements.get(i);
            String text;
            if (statements.size() == pieces.size()) {
                text = pieces.get(i).text();
            } else if (statements.size() == 1) {
                text = sql.substring(
                        pieces.get(0).start(), pieces.get(pieces.size() - 1).end());
            } else {
                text = String.valueOf(statement);
            }
            SqlStatementInfo info = map(statement, text);
            if (info == null) {
                return null;
            }
            infos.add(info);
        }
        return infos;
    }

    private static @Nullable SqlStatementInfo map(Statement statement, String text) {
        try {
            return ParsedStatementMapper.map(statement, text);
        } catch (RuntimeException e) {
            return null; // an unexpected tree shape: let the fallback classify it
        }
    }

    /**
     * Reads stay lock-free; writers take a lock so that both bounds hold exactly. Eviction is round-robin over the
     * map's iteration order, not LRU. A SQL string too long for the character budget is not cached.
     */
    private void store(String sql, ClassifiedSql result) {
        if (maxCacheEntries == 0 || sql.length() > maxCachedChars) {
            return;
        }
        synchronized (cacheWriteLock) {
            if (cache.containsKey(sql)) {
                return;
            }
            while (!cache.isEmpty()
                    && (cache.size() >= maxCacheEntries || cachedChars + sql.length() > maxCachedChars)) {
                evictOne();
            }
            cache.put(sql, result);
            cachedChars += sql.length();
        }
    }

    private void evictOne() {
        if (!evictionHand.hasNext()) {
            evictionHand = cache.keySet().iterator();
        }
        String victim = evictionHand.next();
        if (cache.remove(victim) != null) {
            cachedChars -= victim.length();
        }
    }

    private static ClassifiedSql single(StatementKind kind, String sql) {
        return new ClassifiedSql(List.of(SqlStatementInfo.of(kind, null, false, sql)));
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE / 2; // far enough from overflow for deadline arithmetic
        }
    }
}
