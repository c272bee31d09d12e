package dev.jobguard.console;

import static dev.jobguard.console.Html.esc;

import dev.jobguard.RunOutcome;
import dev.jobguard.state.JobState;
import dev.jobguard.state.RunRecord;
import java.util.Map;

/** The action forms: shown only to an actor who may act, each with a required reason and the CSRF field(s). */
final class Forms {

    static final String CSRF_FIELD = "csrf";
    static final String TOKEN_FIELD = "token";

    private final String base;
    private final String csrf;
    private final boolean needsToken;
    private final boolean runNow;

    Forms(String base, String csrf, boolean needsToken, boolean runNow) {
        this.base = base;
        this.csrf = csrf;
        this.needsToken = needsToken;
        this.runNow = runNow;
    }

    private String open(ConsoleRequest request, String action, String id) {
        Map<String, String> hidden =
                request.hostCsrfFields().isEmpty() ? Map.of(CSRF_FIELD, csrf) : request.hostCsrfFields();
        return "<form class=\"act\" id=\"" + id + "\" method=\"post\" action=\"" + esc(base) + "/action\">"
                + Html.hidden(hidden) + "<input type=\"hidden\" name=\"action\" value=\"" + action + "\">";
    }

    private String close(String label) {
        return "<input name=\"reason\" required placeholder=\"reason (required)\" size=\"28\">"
                + (needsToken
                        ? "<input name=\"" + TOKEN_FIELD + "\" type=\"password\" required placeholder=\"token\""
                                + " size=\"12\" autocomplete=\"off\">"
                        : "")
                + "<button type=\"submit\">" + label + "</button></form>";
    }

    private static String readOnly(ConsoleRequest request) {
        return "<p class=\"note\" id=\"read-only\">Read-only for " + esc(request.actor()) + ": actions are not enabled"
                + " for you here.</p>";
    }

    String globalSwitch(ConsoleRequest request, JobState global) {
        if (!request.actionsAllowed()) {
            return readOnly(request);
        }
        return open(request, global.isDisabled() ? "enable-all" : "disable-all", "global-switch")
                + close(global.isDisabled() ? "Enable all jobs" : "Disable all jobs");
    }

    String jobActions(ConsoleRequest request, String job, JobState state) {
        if (!request.actionsAllowed()) {
            return readOnly(request);
        }
        String jobField = "<input type=\"hidden\" name=\"job\" value=\"" + esc(job) + "\">";
        return open(request, "disable", "disable") + jobField
                + "<input name=\"until\" placeholder=\"for 2h, or until 2026-12-24T06:00Z (optional)\" size=\"34\">"
                + close("Disable")
                + open(request, "enable", "enable") + jobField
                + "<select name=\"mode\"><option value=\"\">its own mode</option><option value=\"dry-run\">pin"
                + " dry-run</option><option value=\"observe\">pin observe</option></select>"
                + close(state.isDisabled() ? "Enable" : "Enable / pin mode")
                + (runNow ? open(request, "run-now", "run-now") + jobField + close("Run now in dry-run") : "");
    }

    String revert(ConsoleRequest request, RunRecord run) {
        if (!request.actionsAllowed() || run.outcome() == RunOutcome.SKIPPED || run.running()) {
            return "";
        }
        String runField = "<input type=\"hidden\" name=\"run\" value=\"" + esc(run.runId()) + "\">";
        return "<h2>Revert</h2>" + open(request, "revert-preview", "revert-preview") + runField
                + close("Preview revert (changes nothing)") + open(request, "revert", "revert") + runField
                + "<label><input type=\"checkbox\" name=\"force\" value=\"true\"> leave rows changed since alone"
                + "</label>" + close("Revert");
    }
}
