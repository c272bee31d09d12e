package dev.jobguard.cli;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;

/** Just enough JSON writing for the CLI's {@code --json} output: objects, arrays, strings, numbers, null. */
final class Json {

    private final StringBuilder text = new StringBuilder();
    private boolean needsComma;

    Json beginObject() {
        separate();
        text.append('{');
        needsComma = false;
        return this;
    }

    Json endObject() {
        text.append('}');
        needsComma = true;
        return this;
    }

    Json beginArray() {
        separate();
        text.append('[');
        needsComma = false;
        return this;
    }

    Json endArray() {
        text.append(']');
        needsComma = true;
        return this;
    }

    /** A member's name; its value follows. */
    Json name(String name) {
        separate();
        quote(name, text);
        text.append(':');
        needsComma = false;
        return this;
    }

    Json value(String value) {
        separate();
        if (value == null) {
            text.append("null");
        } else {
            quote(value, text);
        }
        needsComma = true;
        return this;
    }

    Json value(Instant instant) {
        return value(instant == null ? null : instant.toString());
    }

    Json value(long number) {
        separate();
        text.append(number);
        needsComma = true;
        return this;
    }

    Json value(boolean flag) {
        separate();
        text.append(flag);
        needsComma = true;
        return this;
    }

    Json nullValue() {
        return value((String) null);
    }

    /** A flat object of counts: {@code {"DELETE":140}}. */
    Json counts(Map<?, Long> counts) {
        beginObject();
        for (Iterator<? extends Map.Entry<?, Long>> it = counts.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<?, Long> entry = it.next();
            name(String.valueOf(entry.getKey())).value(entry.getValue());
        }
        return endObject();
    }

    private void separate() {
        if (needsComma) {
            text.append(',');
            needsComma = false;
        }
    }

    @Override
    public String toString() {
        return text.toString();
    }

    /** Appends {@code value} as a JSON string literal (RFC 8259): quotes, backslashes and control characters escaped. */
    static void quote(String value, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
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
                    // control characters must be escaped; U+2028/2029 too, so the output is also valid JavaScript
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

    static String quote(String value) {
        StringBuilder out = new StringBuilder();
        quote(value, out);
        return out.toString();
    }
}
