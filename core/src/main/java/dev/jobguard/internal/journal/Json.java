package dev.jobguard.internal.journal;

import dev.jobguard.internal.text.JsonText;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The journal's row images: flat JSON objects whose values are JSON tokens kept as text ({@code "OPEN"},
 * {@code 12.50}, {@code true}, {@code null}), so that numbers keep their scale and two images compare as text.
 */
public final class Json {

    private Json() {}

    /** A JSON string token. */
    static String string(String value) {
        return JsonText.quote(value);
    }

    /** Column names as JSON string tokens: an image names the same few columns on every row. */
    private static final Map<String, String> NAMES = new ConcurrentHashMap<>();

    private static final int MAX_NAMES = 10_000;

    /** A column name as a JSON string token. */
    static String name(String column) {
        String quoted = NAMES.get(column);
        if (quoted == null) {
            quoted = JsonText.quote(column);
            if (NAMES.size() < MAX_NAMES) {
                NAMES.put(column, quoted);
            }
        }
        return quoted;
    }

    /** The object of column name to value token. */
    static String object(Map<String, String> tokens) {
        int length = 2;
        for (Map.Entry<String, String> entry : tokens.entrySet()) {
            length += entry.getKey().length() + entry.getValue().length() + 4;
        }
        StringBuilder out = new StringBuilder(length).append('{');
        boolean first = true;
        for (Map.Entry<String, String> entry : tokens.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(name(entry.getKey())).append(':').append(entry.getValue());
        }
        return out.append('}').toString();
    }

    /** Reads an object written by {@link #object}: column name to value token, in order. */
    public static Map<String, String> parseObject(String json) {
        Map<String, String> result = new LinkedHashMap<>();
        Reader reader = new Reader(json);
        reader.skipSpace();
        reader.expect('{');
        reader.skipSpace();
        if (reader.peek() == '}') {
            return result;
        }
        while (true) {
            reader.skipSpace();
            String key = unquote(reader.token());
            reader.skipSpace();
            reader.expect(':');
            reader.skipSpace();
            result.put(key, reader.token());
            reader.skipSpace();
            char next = reader.next();
            if (next == '}') {
                return result;
            }
            if (next != ',') {
                throw new IllegalArgumentException("jobguard: unreadable journal image near " + reader.position);
            }
        }
    }

    /** {@link #unquote} of a token that is not the null token. */
    static String text(String token) {
        String text = unquote(token);
        if (text == null) {
            throw new IllegalArgumentException("jobguard: the null token has no text");
        }
        return text;
    }

    /** The text of a string token; null for the null token. */
    static @Nullable String unquote(String token) {
        if (token.equals("null")) {
            return null;
        }
        if (token.length() < 2 || token.charAt(0) != '"') {
            return token;
        }
        StringBuilder out = new StringBuilder(token.length());
        for (int i = 1; i < token.length() - 1; i++) {
            char c = token.charAt(i);
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char escaped = token.charAt(++i);
            switch (escaped) {
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(token.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> out.append(escaped);
            }
        }
        return out.toString();
    }

    private static final class Reader {
        private final String text;
        private int position;

        Reader(String text) {
            this.text = text;
        }

        char peek() {
            return position < text.length() ? text.charAt(position) : '\0';
        }

        char next() {
            if (position >= text.length()) {
                throw new IllegalArgumentException("jobguard: journal image ends too early");
            }
            return text.charAt(position++);
        }

        void expect(char c) {
            if (next() != c) {
                throw new IllegalArgumentException(
                        "jobguard: unreadable journal image: expected '" + c + "' at " + (position - 1));
            }
        }

        void skipSpace() {
            while (position < text.length() && Character.isWhitespace(text.charAt(position))) {
                position++;
            }
        }

        /** One value token as text: a string with its quotes, or a bare literal. */
        String token() {
            int start = position;
            if (peek() == '"') {
                position++;
                while (true) {
                    char c = next();
                    if (c == '\\') {
                        position++;
                    } else if (c == '"') {
                        return text.substring(start, position);
                    }
                }
            }
            while (position < text.length() && ",}: \t\r\n".indexOf(text.charAt(position)) < 0) {
                position++;
            }
            if (start == position) {
                throw new IllegalArgumentException("jobguard: unreadable journal image: no value at " + start);
            }
            return text.substring(start, position);
        }
    }
}
