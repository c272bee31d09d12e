package dev.jobguard.notify;

import dev.jobguard.Trip;
import dev.jobguard.internal.text.JsonText;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * POSTs one JSON document per trip to a URL, with {@code java.net.http}. The document:
 *
 * <pre>{@code
 * {"event":"trip","job":"...","runId":"...","node":"...","mode":"ENFORCE","reason":"MAX_ROWS_CHANGED",
 *  "setting":"maxRowsChanged","limit":1000,"figure":5000,"table":"invoices","statement":"DELETE ...",
 *  "disabled":true,"at":"2025-01-01T00:00:00Z","message":"...","reEnable":"..."}
 * }</pre>
 *
 * Absent values are {@code null}; {@code reEnable} is {@code null} when the job was not disabled. The send is
 * synchronous and bounded by the timeout as a whole (connect, request, response); a non-2xx answer, a timeout or an I/O
 * error is logged at WARN and never thrown. There is no retry: a trip that could not be delivered is only logged.
 * Redirects are not followed. The URL's path and query are left out of log lines, as they often hold a secret.
 */
public final class WebhookTripListener implements TripListener {

    /** How long one delivery may take, from connecting to the answer. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private static final Logger LOG = LoggerFactory.getLogger(WebhookTripListener.class);

    /** Set by the HTTP client itself; java.net.http refuses them. */
    private static final Set<String> RESTRICTED_HEADERS =
            Set.of("connection", "content-length", "expect", "host", "upgrade");

    private final URI url;
    private final Duration timeout;
    private final Map<String, String> headers;
    private final HttpClient client;

    private WebhookTripListener(Builder builder) {
        this.url = builder.url;
        this.timeout = builder.timeout;
        this.headers = Map.copyOf(builder.headers);
        this.client = HttpClient.newBuilder()
                .connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1)
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * A builder for a listener posting to {@code url}.
     *
     * @throws IllegalArgumentException when the url is null or not an absolute http or https URL
     */
    public static Builder builder(URI url) {
        return new Builder(url);
    }

    /** Where trips are posted. */
    public URI url() {
        return url;
    }

    /** The most one delivery may take. */
    public Duration timeout() {
        return timeout;
    }

    @Override
    public void onTrip(TripEvent event) {
        HttpRequest.Builder request = HttpRequest.newBuilder(url)
                .timeout(timeout)
                .header("Content-Type", "application/json; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(toJson(event), StandardCharsets.UTF_8));
        headers.forEach(request::setHeader);
        CompletableFuture<HttpResponse<Void>> sent =
                client.sendAsync(request.build(), HttpResponse.BodyHandlers.discarding());
        try {
            int status = sent.get(saturatedNanos(timeout), TimeUnit.NANOSECONDS).statusCode();
            if (status < 200 || status > 299) {
                warn(event, "the server answered HTTP " + status, null);
            }
        } catch (TimeoutException e) {
            sent.cancel(true);
            warn(event, "no answer within the timeout of " + timeout.toMillis() + " ms", null);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            warn(event, describe(cause), cause instanceof IOException ? null : cause);
        } catch (InterruptedException e) {
            sent.cancel(true);
            Thread.currentThread().interrupt();
            warn(event, "interrupted", null);
        }
    }

    @Override
    public String toString() {
        return "WebhookTripListener[" + redacted(url) + ", timeout=" + timeout + "]";
    }

    private void warn(TripEvent event, String why, @Nullable Throwable unexpected) {
        LOG.warn(
                "jobguard: trip of job '{}' run {} not delivered to webhook {}: {} (not retried)",
                event.job(),
                event.runId(),
                redacted(url),
                why,
                unexpected);
    }

    private String describe(Throwable cause) {
        if (cause instanceof HttpTimeoutException) {
            return "no answer within the timeout of " + timeout.toMillis() + " ms";
        }
        String message = cause.getMessage();
        return cause.getClass().getSimpleName() + (message == null || message.isBlank() ? "" : ": " + message);
    }

    /** Scheme, host and port only. */
    /**
     * A URL that may be invalid, for an error message: up to its path, query or fragment, which often hold the
     * webhook's secret token.
     */
    static String shown(URI url) {
        String text = url.toString();
        int authority = text.indexOf("//");
        int from = authority < 0 ? 0 : authority + 2;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '/' || c == '?' || c == '#') {
                return text.substring(0, i) + c + "... (rest not shown)";
            }
        }
        return text;
    }

    private static String redacted(URI url) {
        return url.getScheme() + "://" + url.getHost() + (url.getPort() < 0 ? "" : ":" + url.getPort()) + "/...";
    }

    /** The JSON document sent for the event. */
    static String toJson(TripEvent event) {
        Trip trip = event.trip();
        StringBuilder json = new StringBuilder(512).append('{');
        field(json, "event", "trip");
        field(json, "job", event.job());
        field(json, "runId", event.runId());
        field(json, "node", event.node());
        field(json, "mode", event.mode() == null ? null : event.mode().name());
        field(json, "reason", trip.reason().name());
        field(json, "setting", trip.reason().setting());
        json.append(",\"limit\":").append(trip.limit());
        json.append(",\"figure\":").append(trip.figure());
        field(json, "table", trip.table());
        field(json, "statement", trip.statement());
        json.append(",\"disabled\":").append(event.disabled());
        field(json, "at", event.at().toString());
        field(json, "message", event.describe());
        field(json, "reEnable", event.disabled() ? event.howToReEnable() : null);
        return json.append('}').toString();
    }

    private static void field(StringBuilder json, String name, @Nullable String value) {
        if (json.length() > 1) {
            json.append(',');
        }
        quote(json, name);
        json.append(':');
        if (value == null) {
            json.append("null");
        } else {
            quote(json, value);
        }
    }

    static void quote(StringBuilder json, String text) {
        JsonText.quote(text, json);
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    /** Builds a {@link WebhookTripListener}; every setting is checked as it is set. Not thread-safe. */
    public static final class Builder {

        private final URI url;
        private Duration timeout = DEFAULT_TIMEOUT;
        private final Map<String, String> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);

        private Builder(URI url) {
            if (url == null) {
                throw invalid("url", "null", "pass the webhook's absolute http:// or https:// URL");
            }
            String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https")) {
                throw invalid("url", shown(url), "use an absolute http:// or https:// URL");
            }
            if (url.getHost() == null || url.getHost().isEmpty()) {
                throw invalid("url", shown(url), "the URL needs a host, e.g. https://hooks.example.com/jobguard");
            }
            try {
                HttpRequest.newBuilder(url);
            } catch (IllegalArgumentException e) {
                // the client's message quotes the whole URL
                throw invalid("url", shown(url), "the HTTP client does not accept it; check its characters and port");
            }
            this.url = url;
        }

        /** How long one delivery may take, from connecting to the answer; default {@link #DEFAULT_TIMEOUT}. */
        public Builder timeout(Duration timeout) {
            if (timeout == null || timeout.isNegative() || timeout.isZero()) {
                throw invalid(
                        "timeout", String.valueOf(timeout), "use a positive duration, e.g. Duration.ofSeconds(5)");
            }
            this.timeout = timeout;
            return this;
        }

        /**
         * A header sent with every delivery, e.g. {@code Authorization}; setting a name again replaces its value.
         * Content-Type defaults to {@code application/json; charset=utf-8}.
         */
        public Builder header(String name, String value) {
            if (name == null || name.isBlank()) {
                throw invalid("header name", String.valueOf(name), "use a non-blank HTTP header name");
            }
            if (RESTRICTED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw invalid("header name", name, "the HTTP client sets this header itself; leave it out");
            }
            if (!acceptedByHttpClient(name, "x")) {
                throw invalid("header name", name, "use an HTTP token: letters, digits and !#$%&'*+-.^_`|~ only");
            }
            if (value == null || !acceptedByHttpClient(name, value)) {
                // the value is not shown: it is often a secret
                throw invalid(
                        "value of header " + name,
                        value == null ? "null" : "not shown",
                        "use a value without line breaks or other control characters");
            }
            headers.put(name, value);
            return this;
        }

        private static boolean acceptedByHttpClient(String name, String value) {
            try {
                HttpRequest.newBuilder().header(name, value);
                return true;
            } catch (IllegalArgumentException e) {
                return false;
            }
        }

        /** The listener; its HTTP client is created here. */
        public WebhookTripListener build() {
            return new WebhookTripListener(this);
        }

        private static IllegalArgumentException invalid(String setting, String value, String fix) {
            return new IllegalArgumentException("jobguard: webhook: invalid " + setting + " (" + value + "): " + fix);
        }
    }
}
