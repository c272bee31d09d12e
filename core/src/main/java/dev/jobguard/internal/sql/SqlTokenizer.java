package dev.jobguard.internal.sql;

import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A forgiving SQL lexer: drops comments, keeps quoted text in one token and splits a string into statements on
 * semicolons outside quotes, brackets and dollar-quoted bodies. Never throws; unterminated quotes run to the end.
 */
final class SqlTokenizer {

    enum Type {
        /** Keyword, identifier, number, parameter ({@code $1}, {@code @x}, {@code #tmp}). */
        WORD,
        /** Quoted identifier, with its quotes: {@code "x"}, {@code `x`}, {@code [x]}. */
        QUOTED,
        /** String literal, including dollar-quoted bodies. */
        STRING,
        /** Any other single character. */
        SYMBOL
    }

    record Token(Type type, String text) {

        boolean is(String keyword) {
            return type == Type.WORD && text.equalsIgnoreCase(keyword);
        }

        boolean isSymbol(char c) {
            return type == Type.SYMBOL && text.charAt(0) == c;
        }

        boolean isName() {
            return type == Type.WORD || type == Type.QUOTED;
        }
    }

    /** One statement: its trimmed text, where that text lies in the input, and its tokens (never empty). */
    record Piece(String text, int start, int end, List<Token> tokens) {

        /** The deepest parenthesis nesting in the statement. */
        int nesting() {
            int depth = 0;
            int deepest = 0;
            for (Token token : tokens) {
                if (token.isSymbol('(')) {
                    deepest = Math.max(deepest, ++depth);
                } else if (token.isSymbol(')')) {
                    depth--;
                }
            }
            return deepest;
        }
    }

    private final String sql;
    private int pos;
    /** No token of the current statement read yet: a {@code #} here starts a MySQL comment. */
    private boolean statementStart = true;

    private SqlTokenizer(String sql) {
        this.sql = sql;
    }

    /** Splits {@code sql} into statements; pieces holding only comments or whitespace are dropped. */
    static List<Piece> split(String sql) {
        return new SqlTokenizer(sql).pieces();
    }

    private List<Piece> pieces() {
        List<Piece> pieces = new ArrayList<>();
        List<Token> tokens = new ArrayList<>();
        int start = 0;
        for (Token token = next(); token != null; token = next()) {
            if (token.isSymbol(';')) {
                addPiece(pieces, tokens, start, pos - 1);
                tokens = new ArrayList<>();
                start = pos;
                statementStart = true;
            } else {
                tokens.add(token);
                statementStart = false;
            }
        }
        addPiece(pieces, tokens, start, sql.length());
        return pieces;
    }

    private void addPiece(List<Piece> pieces, List<Token> tokens, int start, int end) {
        if (tokens.isEmpty()) {
            return;
        }
        int from = start;
        int to = end;
        while (from < to && Character.isWhitespace(sql.charAt(from))) {
            from++;
        }
        while (to > from && Character.isWhitespace(sql.charAt(to - 1))) {
            to--;
        }
        pieces.add(new Piece(sql.substring(from, to), from, to, List.copyOf(tokens)));
    }

    /** The next token, or null at the end. */
    private @Nullable Token next() {
        skipWhitespaceAndComments();
        if (pos >= sql.length()) {
            return null;
        }
        int start = pos;
        char c = sql.charAt(pos);
        switch (c) {
            case '\'' -> {
                return token(Type.STRING, start, skipQuoted('\''));
            }
            case '"' -> {
                return token(Type.QUOTED, start, skipQuoted('"'));
            }
            case '`' -> {
                return token(Type.QUOTED, start, skipQuoted('`'));
            }
            case '[' -> {
                return token(Type.QUOTED, start, skipQuoted(']'));
            }
            default -> {}
        }
        if (c == '$') {
            String tag = dollarTag();
            if (tag != null) {
                int close = sql.indexOf(tag, pos + tag.length());
                pos = close < 0 ? sql.length() : close + tag.length();
                return token(Type.STRING, start, pos);
            }
        }
        if (isWordChar(c)) {
            while (pos < sql.length() && isWordChar(sql.charAt(pos))) {
                pos++;
            }
            return token(Type.WORD, start, pos);
        }
        pos++;
        return token(Type.SYMBOL, start, pos);
    }

    private Token token(Type type, int start, int end) {
        return new Token(type, sql.substring(start, end));
    }

    private void skipWhitespaceAndComments() {
        while (pos < sql.length()) {
            char c = sql.charAt(pos);
            if (Character.isWhitespace(c)) {
                pos++;
            } else if (sql.startsWith("--", pos)) {
                int eol = sql.indexOf('\n', pos);
                pos = eol < 0 ? sql.length() : eol + 1;
            } else if (sql.startsWith("/*", pos)) {
                pos = blockCommentEnd(pos);
            } else if (statementStart && c == '#') {
                // MySQL and MariaDB: a comment to the end of the line; no dialect starts a statement with '#'
                int eol = sql.indexOf('\n', pos);
                pos = eol < 0 ? sql.length() : eol + 1;
            } else {
                return;
            }
        }
    }

    /**
     * Where the block comment opened at {@code open} ends. PostgreSQL (and H2) nest block comments, MySQL does not: the
     * nested reading is taken when its comment closes, else the comment ends at the first {@code *}{@code /} (so a
     * MySQL comment holding {@code /}{@code *} hides nothing after its end).
     */
    private int blockCommentEnd(int open) {
        int depth = 0;
        for (int i = open; i + 1 < sql.length(); i++) {
            if (sql.charAt(i) == '/' && sql.charAt(i + 1) == '*') {
                depth++;
                i++;
            } else if (sql.charAt(i) == '*' && sql.charAt(i + 1) == '/') {
                i++;
                if (--depth == 0) {
                    return i + 1;
                }
            }
        }
        int close = sql.indexOf("*/", open + 2);
        return close < 0 ? sql.length() : close + 2;
    }

    /** The first word of {@code sql} after comments, upper-cased, or "" when it starts with anything else. */
    static String firstWord(String sql) {
        SqlTokenizer tokenizer = new SqlTokenizer(sql);
        Token first = tokenizer.next();
        return first == null || first.type() != Type.WORD ? "" : first.text().toUpperCase(java.util.Locale.ROOT);
    }

    /** Skips past a quoted run opened at {@code pos}; a doubled closing quote is an escaped quote. */
    private int skipQuoted(char close) {
        pos++;
        while (pos < sql.length()) {
            if (sql.charAt(pos) == close) {
                if (pos + 1 < sql.length() && sql.charAt(pos + 1) == close) {
                    pos += 2;
                    continue;
                }
                return ++pos;
            }
            pos++;
        }
        return pos;
    }

    /** The PostgreSQL dollar-quote tag ({@code $$} or {@code $name$}) starting at {@code pos}, or null. */
    private @Nullable String dollarTag() {
        int i = pos + 1;
        if (i < sql.length() && Character.isDigit(sql.charAt(i))) {
            return null; // $1 is a parameter
        }
        while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_')) {
            i++;
        }
        return i < sql.length() && sql.charAt(i) == '$' ? sql.substring(pos, i + 1) : null;
    }

    private static boolean isWordChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$' || c == '@' || c == '#';
    }
}
