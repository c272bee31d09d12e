package dev.jobguard.internal.text;

/** JSON string literals (RFC 8259), for the webhook's body, the journal's images and the CLI's output. Internal. */
public final class JsonText {

    private JsonText() {}

    /** {@code value} as a JSON string literal. */
    public static String quote(String value) {
        StringBuilder out = new StringBuilder(value.length() + 2);
        quote(value, out);
        return out.toString();
    }

    /**
     * Appends {@code value} as a JSON string literal: quotes, backslashes and control characters escaped (U+2028,
     * U+2029 and DEL too, so that the output is also valid JavaScript).
     */
    public static void quote(String value, StringBuilder out) {
        out.append('"');
        int length = value.length();
        int first = 0;
        while (first < length && !escaped(value.charAt(first))) {
            first++;
        }
        out.append(value, 0, first); // the usual value needs no escape: appended in one go
        for (int i = first; i < length; i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029' || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private static boolean escaped(char c) {
        return c < 0x20 || c == '"' || c == '\\' || c == 0x7f || c == '\u2028' || c == '\u2029';
    }
}
