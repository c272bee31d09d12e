package dev.jobguard.console;

import static dev.jobguard.console.Html.esc;

import dev.jobguard.GuardMode;
import dev.jobguard.JobGuard;
import dev.jobguard.RunReport;
import dev.jobguard.journal.RevertException;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.journal.RevertReport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Carries out a posted action, after checking who may act, the CSRF token, the action token and the reason. */
final class Actions {

    private static final Logger log = LoggerFactory.getLogger(Actions.class);
    private static final Pattern SHORT = Pattern.compile("(?:for\\s+)?(\\d{1,6})\\s*([wdhm])");

    private final JobGuard guard;
    private final Pages pages;
    private final String base;
    private final String csrf;
    private final String actionToken;
    private final Clock clock;
    private final DryRunNow dryRunNow;

    Actions(
            JobGuard guard,
            Pages pages,
            String base,
            String csrf,
            String actionToken,
            Clock clock,
            DryRunNow dryRunNow) {
        this.dryRunNow = dryRunNow;
        this.guard = guard;
        this.pages = pages;
        this.base = base;
        this.csrf = csrf;
        this.actionToken = actionToken;
        this.clock = clock;
    }

    ConsoleResponse handle(ConsoleRequest request) {
        String action = request.param("action");
        if (!request.actionsAllowed()) {
            return refused(
                    403, "Actions are not enabled for " + request.actor() + " on this console: it is read-only.");
        }
        if (request.hostCsrfFields().isEmpty() && !same(csrf, request.param(Forms.CSRF_FIELD))) {
            return refused(403, "The form's CSRF token is missing or wrong: reload the page and try again.");
        }
        if (actionToken != null && !same(actionToken, request.param(Forms.TOKEN_FIELD))) {
            log.warn("jobguard console: refused '{}' by {}: wrong or missing action token", action, request.actor());
            return refused(
                    403,
                    "The action token is missing or wrong: use the token the console printed when it" + " started.");
        }
        String reason = request.param("reason");
        if (reason == null) {
            return refused(400, "A reason is required: say why, it is kept in the audit trail.");
        }
        String actor = request.actor();
        try {
            return switch (action == null ? "" : action) {
                case "disable" -> disable(request, reason, actor);
                case "enable" -> enable(request, reason, actor);
                case "disable-all" -> {
                    guard.disableAll(reason, actor);
                    yield ConsoleResponse.redirect(base + "/");
                }
                case "enable-all" -> {
                    guard.enableAll(reason, actor);
                    yield ConsoleResponse.redirect(base + "/");
                }
                case "run-now" -> runNow(request, reason, actor);
                case "revert-preview" -> revert(request, reason, actor, true);
                case "revert" -> revert(request, reason, actor, false);
                default -> refused(400, "Unknown action '" + action + "'.");
            };
        } catch (IllegalArgumentException invalid) {
            return refused(400, invalid.getMessage());
        }
    }

    private ConsoleResponse disable(ConsoleRequest request, String reason, String actor) {
        String job = request.param("job");
        if (job == null || !pages.isKnown(job)) {
            return refused(404, "Unknown job '" + job + "'.");
        }
        Instant until = until(job, request.param("until"));
        guard.disable(job, reason, actor, until);
        return ConsoleResponse.redirect(pages.jobLink(job));
    }

    private ConsoleResponse enable(ConsoleRequest request, String reason, String actor) {
        String job = request.param("job");
        if (job == null || !pages.isKnown(job)) {
            return refused(404, "Unknown job '" + job + "'.");
        }
        String mode = request.param("mode");
        if (mode == null || mode.equalsIgnoreCase("enforce")) {
            guard.enable(job, reason, actor);
        } else {
            GuardMode pinned = switch (mode.toLowerCase(Locale.ROOT)) {
                case "dry-run", "dry_run" -> GuardMode.DRY_RUN;
                case "observe" -> GuardMode.OBSERVE;
                default ->
                    throw new IllegalArgumentException("jobguard: job '" + job + "': unknown mode '" + mode
                            + "': pin dry-run or observe, or none for the job's own mode");
            };
            guard.enable(job, reason, actor, pinned);
        }
        return ConsoleResponse.redirect(pages.jobLink(job));
    }

    /** A disable's end: blank for none, a duration ({@code 2h}, {@code for 90m}, {@code PT2H}) or an instant. */
    private Instant until(String job, String text) {
        if (text == null) {
            return null;
        }
        Matcher shortForm = SHORT.matcher(text.toLowerCase(Locale.ROOT));
        if (shortForm.matches()) {
            long amount = Long.parseLong(shortForm.group(1));
            Duration duration = switch (shortForm.group(2)) {
                case "w" -> Duration.ofDays(7 * amount);
                case "d" -> Duration.ofDays(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofMinutes(amount);
            };
            return clock.instant().plus(duration);
        }
        try {
            return clock.instant().plus(Duration.parse(text.toUpperCase(Locale.ROOT)));
        } catch (DateTimeParseException notDuration) {
            try {
                return OffsetDateTime.parse(text).toInstant();
            } catch (DateTimeParseException notTime) {
                throw new IllegalArgumentException("jobguard: job '" + job + "': '" + text + "' is neither a duration"
                        + " (2h, 90m, 1d) nor a time with its offset (2026-12-24T06:00Z): leave it empty to disable"
                        + " until an operator enables the job");
            }
        }
    }

    /** How long the page waits for a dry run before it answers with the run's link. */
    static final Duration RUN_NOW_WAIT = Duration.ofSeconds(20);

    private ConsoleResponse runNow(ConsoleRequest request, String reason, String actor) {
        String job = request.param("job");
        if (dryRunNow == null) {
            return refused(
                    404, "Run now is offered only where the jobs run (the console embedded in the application).");
        }
        if (job == null || !pages.isKnown(job)) {
            return refused(404, "Unknown job '" + job + "'.");
        }
        CompletableFuture<RunReport> run = dryRunNow.start(job, actor, reason);
        try {
            RunReport report = run.get(RUN_NOW_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            return ConsoleResponse.redirect(pages.runLink(report.runId()));
        } catch (TimeoutException stillRunning) {
            return ConsoleResponse.html(
                    202,
                    Html.page(
                            base,
                            "run now",
                            "<p class=\"note\" id=\"run-now-started\">The dry run of " + esc(job) + " is still running"
                                    + " after " + RUN_NOW_WAIT.toSeconds() + " s; its record appears on <a href=\""
                                    + esc(pages.jobLink(job)) + "\">the job's page</a> when it ends.</p>"));
        } catch (ExecutionException failed) {
            return refused(500, "The dry run could not run: " + failed.getCause());
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return refused(503, "Interrupted while waiting for the dry run.");
        }
    }

    private ConsoleResponse revert(ConsoleRequest request, String reason, String actor, boolean preview) {
        String runId = request.param("run");
        if (runId == null || guard.run(runId).isEmpty()) {
            return refused(404, "Unknown run '" + runId + "'.");
        }
        RevertOptions options = RevertOptions.DEFAULTS
                .withDryRun(preview)
                .withForce("true".equals(request.param("force")))
                .withActor(actor)
                .withReason(reason);
        RevertReport report;
        try {
            report = guard.revert(runId, options);
        } catch (RevertException refused) {
            return refused(refused.reason() == RevertException.Reason.NO_JOURNAL ? 404 : 409, refused.getMessage());
        }
        StringBuilder body = new StringBuilder("<h1>")
                .append(preview ? "Revert preview" : "Revert")
                .append(" of run ")
                .append(esc(runId))
                .append("</h1><p id=\"revert-summary\">")
                .append(esc(report.summary()))
                .append("</p>");
        if (preview) {
            body.append("<p class=\"note\">A preview changes nothing.</p>");
        }
        if (!report.conflicts().isEmpty()) {
            body.append("<h2>Rows changed since the run</h2><table id=\"conflicts\"><thead><tr><th>Table</th>"
                    + "<th>Key</th><th>Why</th></tr></thead><tbody>");
            for (RevertReport.Conflict conflict : report.conflicts()) {
                body.append("<tr><td>")
                        .append(esc(conflict.table()))
                        .append("</td><td>")
                        .append(esc(conflict.key()))
                        .append("</td><td>")
                        .append(esc(conflict.detail()))
                        .append("</td></tr>");
            }
            body.append("</tbody></table>");
        }
        body.append("<p><a href=\"").append(esc(pages.runLink(runId))).append("\">Back to the run</a></p>");
        return ConsoleResponse.html(200, Html.page(base, preview ? "revert preview" : "revert", body.toString()));
    }

    private ConsoleResponse refused(int status, String message) {
        return ConsoleResponse.html(
                status,
                Html.page(
                        base,
                        "refused",
                        "<p class=\"error\" id=\"refused\">" + esc(message) + "</p><p><a href=\"" + esc(base)
                                + "/\">Back to the jobs</a></p>"));
    }

    /** Constant-time comparison of a secret with what was sent. */
    private static boolean same(String secret, String sent) {
        return sent != null
                && MessageDigest.isEqual(
                        secret.getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8));
    }
}
