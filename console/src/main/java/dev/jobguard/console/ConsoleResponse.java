package dev.jobguard.console;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the console answers: a status, headers (content type, security headers, a redirect's location) and a body.
 *
 * @param status the HTTP status
 * @param headers the headers to send
 * @param body the body, UTF-8
 */
public record ConsoleResponse(int status, Map<String, String> headers, String body) {

    /** Sent with every answer: no sniffing, no framing, nothing loaded from elsewhere, nothing cached. */
    static final Map<String, String> SECURITY_HEADERS = Map.of(
            "X-Content-Type-Options", "nosniff",
            "Content-Security-Policy",
                    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self';"
                            + " frame-ancestors 'none'; base-uri 'none'",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-store");

    public ConsoleResponse {
        headers = Map.copyOf(headers);
    }

    static ConsoleResponse html(int status, String body) {
        Map<String, String> headers = new LinkedHashMap<>(SECURITY_HEADERS);
        headers.put("Content-Type", "text/html; charset=utf-8");
        return new ConsoleResponse(status, headers, body);
    }

    static ConsoleResponse redirect(String location) {
        Map<String, String> headers = new LinkedHashMap<>(SECURITY_HEADERS);
        headers.put("Location", location);
        return new ConsoleResponse(303, headers, "");
    }
}
