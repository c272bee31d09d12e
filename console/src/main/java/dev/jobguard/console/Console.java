package dev.jobguard.console;

import static dev.jobguard.console.Html.esc;

import dev.jobguard.JobGuard;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator console: server-rendered pages of the jobs (state, time left, mode pin, last run, rows per run), of one
 * job (its runs, a chart with the anomaly limit, its audit trail) and of one run (rows per table, the trip and its
 * statement, the change journal page by page with before and after side by side), and the actions an operator takes
 * during an incident: disable (optionally until a time), enable (optionally pinning a mode), preview a revert, revert,
 * the global switch. Each action needs a reason and is recorded with the request's actor.
 *
 * <p>No framework: a host turns its HTTP requests into {@link ConsoleRequest}s and writes the {@link ConsoleResponse}s
 * back. {@link ConsoleServer} is the standalone host; the Spring adapter embeds it as a servlet. Every value shown is
 * HTML-escaped; forms are POSTs protected by the host's CSRF token or the console's own; with an
 * {@link Builder#actionToken action token} every action must also carry it. Thread-safe.
 *
 * <pre>{@code
 * Console console = Console.builder(guard).basePath("/jobguard").build();
 * ConsoleResponse response = console.handle(request);
 * }</pre>
 */
public final class Console {

    /** Where the console answers unless {@link Builder#basePath} says otherwise. */
    public static final String DEFAULT_BASE_PATH = "/jobguard";

    private static final Logger log = LoggerFactory.getLogger(Console.class);

    private final String base;
    private final Pages pages;
    private final Forms forms;
    private final Actions actions;

    private Console(Builder builder) {
        this.base = builder.basePath;
        String csrf = randomToken();
        this.pages = new Pages(builder.guard, base, builder.clock);
        this.forms = new Forms(base, csrf, builder.actionToken != null, builder.dryRunNow != null);
        this.actions =
                new Actions(builder.guard, pages, base, csrf, builder.actionToken, builder.clock, builder.dryRunNow);
    }

    public static Builder builder(JobGuard guard) {
        return new Builder(guard);
    }

    /** A random token: 24 bytes, URL-safe Base64. */
    public static String randomToken() {
        byte[] bytes = new byte[24];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** The path the console answers under, without a trailing slash ({@code ""} for the root). */
    public String basePath() {
        return base;
    }

    /** Answers one request; never throws: a failure is a 500 page that says what failed. */
    public ConsoleResponse handle(ConsoleRequest request) {
        Objects.requireNonNull(request, "request");
        try {
            String path = request.path().isEmpty() ? "/" : request.path();
            if (request.method().equals("POST")) {
                return path.equals("/action") ? actions.handle(request) : notFound("No action at " + path + ".");
            }
            if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
                return ConsoleResponse.html(405, Html.page(base, "not allowed", "<p>Use GET or POST.</p>"));
            }
            return switch (path) {
                case "/", "/index.html" -> ok("jobs", () -> Optional.of(pages.jobs(request, forms)), null);
                case "/job" ->
                    ok(
                            "job " + request.param("name"),
                            () -> pages.job(request.param("name"), request, forms),
                            "Unknown job '" + request.param("name") + "'.");
                case "/run" ->
                    ok(
                            "run " + request.param("id"),
                            () -> pages.run(request.param("id"), after(request), request, forms),
                            "Unknown run '" + request.param("id") + "'.");
                default -> notFound("No page at " + path + ".");
            };
        } catch (RuntimeException failed) {
            log.error("jobguard console: {} {} failed", request.method(), request.path(), failed);
            return ConsoleResponse.html(
                    500,
                    Html.page(
                            base,
                            "error",
                            "<p class=\"error\">The console could not answer: " + esc(failed.getMessage()) + "</p>"));
        }
    }

    private ConsoleResponse ok(String title, Supplier<Optional<String>> body, String unknown) {
        Optional<String> page = body.get();
        return page.isPresent() ? ConsoleResponse.html(200, Html.page(base, title, page.get())) : notFound(unknown);
    }

    private ConsoleResponse notFound(String message) {
        return ConsoleResponse.html(
                404,
                Html.page(
                        base,
                        "not found",
                        "<p class=\"error\">" + esc(message) + "</p><p><a href=\"" + esc(base)
                                + "/\">Back to the jobs</a></p>"));
    }

    private static long after(ConsoleRequest request) {
        String after = request.param("after");
        try {
            return after == null ? 0 : Math.max(0, Long.parseLong(after));
        } catch (NumberFormatException notANumber) {
            return 0;
        }
    }

    /** Configures a {@link Console}. */
    public static final class Builder {
        private final JobGuard guard;
        private String basePath = DEFAULT_BASE_PATH;
        private String actionToken;
        private Clock clock = Clock.systemUTC();
        private DryRunNow dryRunNow;

        private Builder(JobGuard guard) {
            this.guard = Objects.requireNonNull(guard, "guard");
        }

        /** The path the console's pages live under (default {@value #DEFAULT_BASE_PATH}); "/" or "" for the root. */
        public Builder basePath(String basePath) {
            Objects.requireNonNull(basePath, "basePath");
            String path = basePath.strip();
            if (path.endsWith("/")) {
                path = path.substring(0, path.length() - 1);
            }
            if (!path.isEmpty() && (!path.startsWith("/") || !path.matches("/[A-Za-z0-9._~/-]*"))) {
                throw new IllegalArgumentException("jobguard: invalid console path '" + basePath + "': use a path"
                        + " such as /jobguard (letters, digits, '.', '_', '~', '-' and '/')");
            }
            this.basePath = path;
            return this;
        }

        /** A secret every action must carry (the standalone console's one-time token); none when not set. */
        public Builder actionToken(String actionToken) {
            if (actionToken != null && actionToken.length() < 16) {
                throw new IllegalArgumentException(
                        "jobguard: the console's action token must be at least 16" + " characters long");
            }
            this.actionToken = actionToken;
            return this;
        }

        /** Offers "run now in dry-run" on a job's page, run by this (none when not set). */
        public Builder dryRunNow(DryRunNow dryRunNow) {
            this.dryRunNow = Objects.requireNonNull(dryRunNow, "dryRunNow");
            return this;
        }

        /** The clock for the time left of a disable (tests). */
        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        public Console build() {
            return new Console(this);
        }
    }
}
