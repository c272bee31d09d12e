package dev.jobguard.console;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The console served on its own, with the JDK's HTTP server (for Quartz-only and plain Java users: the CLI's
 * {@code console} command). Every request acts as one actor (the OS user); actions are allowed only when it was
 * started so, and then the console's {@link Console.Builder#actionToken action token} guards them.
 */
public final class ConsoleServer implements AutoCloseable {

    /** The largest form the server reads, in bytes. */
    static final int MAX_FORM = 64 * 1024;

    private final HttpServer server;
    private final ExecutorService threads;
    private final Console console;

    private ConsoleServer(HttpServer server, ExecutorService threads, Console console) {
        this.server = server;
        this.threads = threads;
        this.console = console;
    }

    /**
     * Starts serving the console at the address (port 0: any free port).
     *
     * @param actor who every request acts as
     * @param actionsAllowed whether the forms and actions are on (give the console an action token then)
     */
    public static ConsoleServer start(Console console, InetSocketAddress address, String actor, boolean actionsAllowed)
            throws IOException {
        Objects.requireNonNull(console, "console");
        Objects.requireNonNull(actor, "actor");
        HttpServer server = HttpServer.create(address, 0);
        ExecutorService threads = Executors.newFixedThreadPool(4, task -> {
            Thread thread = new Thread(task, "jobguard-console");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        String base = console.basePath();
        server.createContext(base.isEmpty() ? "/" : base, exchange -> serve(console, exchange, actor, actionsAllowed));
        if (!base.isEmpty()) {
            server.createContext("/", exchange -> {
                exchange.getResponseHeaders().add("Location", base + "/");
                exchange.sendResponseHeaders(303, -1);
                exchange.close();
            });
        }
        server.start();
        return new ConsoleServer(server, threads, console);
    }

    /** The console's address, e.g. {@code http://127.0.0.1:8089/jobguard/}. */
    public URI uri() {
        InetSocketAddress address = server.getAddress();
        String host = address.getAddress().isAnyLocalAddress()
                ? "127.0.0.1"
                : address.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + address.getPort() + console.basePath() + "/");
    }

    private static void serve(Console console, HttpExchange exchange, String actor, boolean actionsAllowed)
            throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI()
                    .getRawPath()
                    .substring(console.basePath().length());
            Map<String, String> params = new HashMap<>();
            parse(exchange.getRequestURI().getRawQuery(), params);
            String method = exchange.getRequestMethod().toUpperCase(java.util.Locale.ROOT);
            if (method.equals("POST")) {
                try (InputStream body = exchange.getRequestBody()) {
                    byte[] form = body.readNBytes(MAX_FORM + 1);
                    if (form.length > MAX_FORM) {
                        exchange.sendResponseHeaders(413, -1);
                        return;
                    }
                    parse(new String(form, StandardCharsets.UTF_8), params);
                }
            }
            ConsoleResponse response =
                    console.handle(new ConsoleRequest(method, path, params, actor, actionsAllowed, Map.of()));
            response.headers()
                    .forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
            if (body.length == 0 || method.equals("HEAD")) {
                exchange.sendResponseHeaders(response.status(), -1);
            } else {
                exchange.sendResponseHeaders(response.status(), body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    private static void parse(String encoded, Map<String, String> into) {
        if (encoded == null || encoded.isEmpty()) {
            return;
        }
        for (String pair : encoded.split("&")) {
            int equals = pair.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? pair : pair.substring(0, equals), StandardCharsets.UTF_8);
            String value = equals < 0 ? "" : URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8);
            into.putIfAbsent(name, value);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
