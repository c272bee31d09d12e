package dev.jobguard.console;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** Writes the console's HTML: every value a user or a job wrote goes through {@link #esc}. */
final class Html {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private static final String STYLE =
            "body{font-family:system-ui,sans-serif;margin:0;color:#1b1f24;background:#f6f7f9}"
                    + "header{background:#1b1f24;color:#fff;padding:.6rem 1rem;display:flex;gap:1rem;align-items:baseline;"
                    + "flex-wrap:wrap}header a{color:#fff;text-decoration:none;font-weight:600}"
                    + "main{padding:1rem;max-width:1100px;margin:auto}"
                    + "table{border-collapse:collapse;width:100%;background:#fff;margin:.5rem 0 1rem}"
                    + "th,td{border-bottom:1px solid #e3e5e8;padding:.35rem .5rem;text-align:left;vertical-align:top;"
                    + "font-size:.9rem}th{background:#eef0f3}"
                    + ".wrap{overflow-x:auto}.DISABLED,.TRIPPED,.FAILED{color:#b42318;font-weight:600}"
                    + ".ENABLED,.SUCCEEDED{color:#067647}.SKIPPED,.ABANDONED{color:#8a6d00}"
                    + ".INSERT{background:#e7f6ec}.DELETE{background:#fdecea}.changed{background:#fff4cc}"
                    + "pre{white-space:pre-wrap;word-break:break-word;background:#fff;padding:.5rem;border:1px solid #e3e5e8}"
                    + "form.act{background:#fff;border:1px solid #e3e5e8;padding:.5rem;margin:.5rem 0;display:flex;gap:.5rem;"
                    + "flex-wrap:wrap;align-items:center}input,select,button{font-size:.9rem;padding:.25rem}"
                    + ".note{background:#eef4ff;border:1px solid #b2ccff;padding:.5rem;margin:.5rem 0}"
                    + ".error{background:#fdecea;border:1px solid #f4b4ae;padding:.5rem;margin:.5rem 0}"
                    + "svg{background:#fff;border:1px solid #e3e5e8;max-width:100%;height:auto}td.chart{min-width:170px}";

    private Html() {}

    /** The text, safe in an element or a quoted attribute. */
    static String esc(Object value) {
        if (value == null) {
            return "-";
        }
        String text = value.toString();
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    static String url(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    static String time(Instant instant) {
        return instant == null ? "-" : TIME.format(instant);
    }

    static String duration(Duration duration) {
        if (duration == null) {
            return "running";
        }
        long seconds = duration.toSeconds();
        if (seconds < 1) {
            return duration.toMillis() + "ms";
        }
        if (seconds < 60) {
            return seconds + "s";
        }
        if (seconds < 3600) {
            return (seconds / 60) + "m" + String.format("%02d", seconds % 60) + "s";
        }
        return (seconds / 3600) + "h" + String.format("%02d", (seconds % 3600) / 60) + "m";
    }

    /** A whole page. */
    static String page(String base, String title, String body) {
        return "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
                + "<title>" + esc(title) + " - jobguard</title><style>" + STYLE + "</style></head><body>"
                + "<header><a href=\"" + esc(base) + "/\">jobguard</a><span>" + esc(title) + "</span></header>"
                + "<main>" + body + "</main></body></html>";
    }

    /** The hidden fields every form of the console carries: the CSRF token(s). */
    static String hidden(Map<String, String> fields) {
        StringBuilder out = new StringBuilder();
        fields.forEach((name, value) -> out.append("<input type=\"hidden\" name=\"")
                .append(esc(name))
                .append("\" value=\"")
                .append(esc(value))
                .append("\">"));
        return out.toString();
    }
}
