package dev.jobguard.notify;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.jobguard.GuardMode;
import dev.jobguard.Trip;
import dev.jobguard.TripReason;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class WebhookTripListenerTest {

    private record Received(String method, String contentType, String authorization, String body) {}

    private interface Answer {
        void send(HttpExchange exchange) throws IOException, InterruptedException;
    }

    private static final String SECRET_PATH = "/hooks/T0001/secret-token";

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final CountDownLatch releaseSlowAnswers = new CountDownLatch(1);
    private volatile Answer answer = exchange -> exchange.sendResponseHeaders(204, -1);
    private ExecutorService serverThreads;
    private HttpServer server;
    private URI url;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
        serverThreads = Executors.newCachedThreadPool(runnable -> {
            Thread thread = new Thread(runnable, "test-webhook-server");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(serverThreads);
        server.createContext("/", exchange -> {
            try (exchange) {
                String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
                received.add(new Received(
                        exchange.getRequestMethod(),
                        exchange.getRequestHeaders().getFirst("Content-Type"),
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        body));
                answer.send(exchange);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        server.start();
        url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + SECRET_PATH);
    }

    @AfterEach
    void stopServer() {
        releaseSlowAnswers.countDown();
        server.stop(0);
        serverThreads.shutdownNow();
    }

    @Test
    void everyFieldArrivesAsOneJsonDocumentWithTheConfiguredHeaders() throws InterruptedException {
        String job = "weird \"job\" \\ name\n\t\u0001\u001f é";
        TripEvent event = new TripEvent(
                job,
                "run-42",
                "node\ra",
                GuardMode.ENFORCE,
                new Trip(
                        TripReason.MAX_ROWS_CHANGED,
                        1000,
                        5000,
                        "invoices",
                        "DELETE FROM invoices WHERE note = 'a\"b'"),
                true,
                TripEvents.AT);
        WebhookTripListener listener = WebhookTripListener.builder(url)
                .header("Authorization", "Bearer s3cret")
                .build();

        listener.onTrip(event);

        Received request = received.poll(10, TimeUnit.SECONDS);
        assertThat(request).isNotNull();
        assertThat(request.method()).isEqualTo("POST");
        assertThat(request.contentType()).isEqualTo("application/json; charset=utf-8");
        assertThat(request.authorization()).isEqualTo("Bearer s3cret");
        assertThat(request.body())
                .contains("\"job\":\"weird \\\"job\\\" \\\\ name\\n\\t\\u0001\\u001f é\"")
                .contains("\"node\":\"node\\ra\"")
                .contains("\"statement\":\"DELETE FROM invoices WHERE note = 'a\\\"b'\"")
                .contains("\"limit\":1000,\"figure\":5000")
                .contains("\"disabled\":true");
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("event", "trip");
        expected.put("job", job);
        expected.put("runId", "run-42");
        expected.put("node", "node\ra");
        expected.put("mode", "ENFORCE");
        expected.put("reason", "MAX_ROWS_CHANGED");
        expected.put("setting", "maxRowsChanged");
        expected.put("limit", 1000L);
        expected.put("figure", 5000L);
        expected.put("table", "invoices");
        expected.put("statement", "DELETE FROM invoices WHERE note = 'a\"b'");
        expected.put("disabled", true);
        expected.put("at", "2025-03-04T05:06:07.089Z");
        expected.put("message", event.describe());
        expected.put("reEnable", event.howToReEnable());
        assertThat(FlatJson.parse(request.body())).containsExactlyEntriesOf(expected);
    }

    @Test
    void absentValuesAreJsonNullAndAWouldTripHasNoReEnableAdvice() {
        TripEvent event = new TripEvent(
                "j", null, null, null, new Trip(TripReason.UNKNOWN_ROW_COUNT, 0, -1, null, null), false, TripEvents.AT);

        Map<String, Object> json = FlatJson.parse(WebhookTripListener.toJson(event));

        assertThat(json)
                .containsEntry("runId", null)
                .containsEntry("node", null)
                .containsEntry("mode", null)
                .containsEntry("table", null)
                .containsEntry("statement", null)
                .containsEntry("figure", -1L)
                .containsEntry("disabled", false)
                .containsEntry("reEnable", null)
                .hasSize(15);
    }

    @Test
    void everyControlCharacterIsEscapedAndReadsBackUnchanged() {
        StringBuilder all = new StringBuilder("\"\\/ plain é \u2028 ");
        for (char c = 0; c < 0x20; c++) {
            all.append(c);
        }
        StringBuilder json = new StringBuilder();

        WebhookTripListener.quote(json, all.toString());

        assertThat(json.chars()).noneMatch(c -> c < 0x20);
        assertThat(json.toString()).contains("\\u0000", "\\u000b", "\\u001f", "\\b", "\\f", "\\n", "\\r", "\\t");
        assertThat(FlatJson.parse("{\"s\":" + json + "}")).containsEntry("s", all.toString());
    }

    @Test
    void aServerErrorIsLoggedAtWarnAndNotThrown() {
        answer = exchange -> exchange.sendResponseHeaders(500, -1);
        WebhookTripListener listener = WebhookTripListener.builder(url).build();

        try (CapturedLogs logs = CapturedLogs.of(WebhookTripListener.class)) {
            assertThatCode(() -> listener.onTrip(TripEvents.enforced("invoice-cleanup")))
                    .doesNotThrowAnyException();

            assertThat(logs.at(Level.WARN))
                    .singleElement()
                    .satisfies(line -> assertThat(line.getFormattedMessage())
                            .contains("job 'invoice-cleanup'")
                            .contains("HTTP 500")
                            .contains("127.0.0.1")
                            .doesNotContain("secret-token"));
        }
        assertThat(received).hasSize(1);
    }

    @Test
    void aServerSlowerThanTheTimeoutIsAbandonedWithinTheTimeout() {
        answer = exchange -> {
            releaseSlowAnswers.await(60, TimeUnit.SECONDS);
            exchange.sendResponseHeaders(204, -1);
        };
        Duration timeout = Duration.ofMillis(500);
        WebhookTripListener listener =
                WebhookTripListener.builder(url).timeout(timeout).build();

        try (CapturedLogs logs = CapturedLogs.of(WebhookTripListener.class)) {
            long start = System.nanoTime();
            assertThatCode(() -> listener.onTrip(TripEvents.enforced("slow"))).doesNotThrowAnyException();
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);

            assertThat(elapsed).isLessThan(timeout.plusSeconds(2));
            assertThat(logs.at(Level.WARN))
                    .singleElement()
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .asString()
                    .contains("no answer within the timeout of 500 ms");
        }
    }

    @Test
    void anUnreachableUrlIsLoggedAtWarnAndNotThrown() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        WebhookTripListener listener = WebhookTripListener.builder(URI.create("http://127.0.0.1:" + closedPort + "/"))
                .timeout(Duration.ofSeconds(1))
                .build();

        try (CapturedLogs logs = CapturedLogs.of(WebhookTripListener.class)) {
            long start = System.nanoTime();
            assertThatCode(() -> listener.onTrip(TripEvents.enforced("nowhere")))
                    .doesNotThrowAnyException();

            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
            assertThat(logs.at(Level.WARN))
                    .singleElement()
                    .extracting(ILoggingEvent::getFormattedMessage)
                    .asString()
                    .contains("job 'nowhere'")
                    .contains("not delivered")
                    .contains(":" + closedPort);
        }
    }

    @Test
    void theBuilderRefusesAMissingOrNonHttpUrlNamingTheSettingAndTheFix() {
        assertThatThrownBy(() -> WebhookTripListener.builder(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid url (null)")
                .hasMessageContaining("http:// or https://");
        assertThatThrownBy(() -> WebhookTripListener.builder(URI.create("ftp://example.com/x")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid url (ftp://example.com/... (rest not shown))")
                .hasMessageContaining("use an absolute http:// or https:// URL");
        assertThatThrownBy(() -> WebhookTripListener.builder(URI.create("/hooks/jobguard")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid url");
        assertThatThrownBy(() -> WebhookTripListener.builder(URI.create("http:///no-host")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("needs a host");
        assertThat(WebhookTripListener.builder(URI.create("HTTPS://hooks.example.com/x"))
                        .build()
                        .url())
                .hasHost("hooks.example.com");
    }

    @Test
    void theBuilderRefusesAnInvalidUrlWithoutShowingItsPathOrQueryWhichOftenHoldASecret() {
        assertThatThrownBy(() -> WebhookTripListener.builder(URI.create("hooks.example.com/services/T0/B0/s3cr3t")))
                .hasMessageContaining("invalid url (hooks.example.com/... (rest not shown))")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> WebhookTripListener.builder(URI.create("ftp://hooks.example.com?token=s3cr3t")))
                .hasMessageContaining("invalid url (ftp://hooks.example.com?... (rest not shown))")
                .hasMessageNotContaining("s3cr3t");
        assertThatThrownBy(() -> WebhookTripListener.builder(URI.create("http:///services/s3cr3t")))
                .hasMessageContaining("needs a host")
                .hasMessageNotContaining("s3cr3t");
    }

    @Test
    void theBuilderRefusesANonPositiveTimeoutAndDefaultsToFiveSeconds() {
        WebhookTripListener.Builder builder = WebhookTripListener.builder(url);

        assertThatThrownBy(() -> builder.timeout(Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid timeout (PT0S)")
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> builder.timeout(Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid timeout");
        assertThatThrownBy(() -> builder.timeout(null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid timeout (null)");
        assertThat(builder.build().timeout())
                .isEqualTo(WebhookTripListener.DEFAULT_TIMEOUT)
                .isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void theBuilderRefusesBadHeadersWithoutShowingTheirValues() {
        WebhookTripListener.Builder builder = WebhookTripListener.builder(url);

        assertThatThrownBy(() -> builder.header(" ", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid header name");
        assertThatThrownBy(() -> builder.header("Bad Name", "x"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid header name (Bad Name)")
                .hasMessageContaining("HTTP token");
        assertThatThrownBy(() -> builder.header("Host", "evil.example.com"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid header name (Host)")
                .hasMessageContaining("sets this header itself");
        assertThatThrownBy(() -> builder.header("Authorization", "Bearer secret\r\nX-Injected: 1"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid value of header Authorization")
                .hasMessageContaining("line breaks")
                .hasMessageNotContaining("secret");
        assertThatThrownBy(() -> builder.header("Authorization", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("invalid value of header Authorization (null)");
    }

    @Test
    void toStringLeavesOutThePathWhichOftenHoldsASecret() {
        WebhookTripListener listener = WebhookTripListener.builder(url).build();

        assertThat(listener.toString()).contains("127.0.0.1").doesNotContain("secret-token");
    }
}
