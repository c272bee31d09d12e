package dev.jobguard.cli;

import dev.jobguard.internal.text.JsonText;
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

    /** A number, or null. */
    Json value(Long number) {
        return number == null ? nullValue() : value(number.longValue());
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

    static void quote(String value, StringBuilder out) {
        JsonText.quote(value, out);
    }

    static String quote(String value) {
        StringBuilder out = new StringBuilder();
        quote(value, out);
        return out.toString();
    }
}
