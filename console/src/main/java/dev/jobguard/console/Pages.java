package dev.jobguard.console;

import static dev.jobguard.console.Html.esc;
import static dev.jobguard.console.Html.time;
import static dev.jobguard.console.Html.url;

import dev.jobguard.JobGuard;
import dev.jobguard.Operation;
import dev.jobguard.StatementSummary;
import dev.jobguard.Trip;
import dev.jobguard.journal.JournalEntry;
import dev.jobguard.state.JobAction;
import dev.jobguard.state.JobState;
import dev.jobguard.state.RunRecord;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** The console's three pages: the jobs, one job, one run. Read-only: the forms post to {@link Actions}. */
final class Pages {

    /** Runs drawn and listed on a job's page. */
    static final int RUNS = 40;
    /** Entries of the audit trail on a job's page. */
    static final int ACTIONS = 30;
    /** Journal entries per page of a run. */
    static final int JOURNAL_PAGE = 50;

    private final JobGuard guard;
    private final String base;
    private final Clock clock;

    Pages(JobGuard guard, String base, Clock clock) {
        this.guard = guard;
        this.base = base;
        this.clock = clock;
    }

    String jobs(ConsoleRequest request, Forms forms) {
        StringBuilder body = new StringBuilder();
        JobState global = guard.state(JobState.GLOBAL).global();
        body.append("<h1>Jobs</h1><p id=\"global\">Global switch: <span class=\"")
                .append(global.status())
                .append("\">")
                .append(esc(state(global)))
                .append("</span>");
        if (global.version() > 0) {
            body.append(" (").append(esc(global.reason())).append(", by ").append(esc(global.actor()));
            body.append(" at ").append(time(global.changedAt())).append(')');
        }
        body.append("</p>");
        body.append(forms.globalSwitch(request, global));
        List<JobState> jobs = guard.knownJobs();
        if (jobs.isEmpty()) {
            return body.append("<p>No job has run or been disabled yet.</p>").toString();
        }
        body.append("<div class=\"wrap\"><table id=\"jobs\"><thead><tr><th>Job</th><th>State</th><th>Mode pin</th>"
                + "<th>Reason</th><th>By</th><th>Since</th><th>Last run</th><th>Rows per run</th></tr></thead><tbody>");
        for (JobState job : jobs) {
            List<RunRecord> runs = guard.runs(job.job(), RUNS);
            RunRecord last = runs.isEmpty() ? null : runs.get(0);
            body.append("<tr data-job=\"")
                    .append(esc(job.job()))
                    .append("\"><td><a href=\"")
                    .append(esc(jobLink(job.job())))
                    .append("\">")
                    .append(esc(job.job()))
                    .append("</a></td><td class=\"state ")
                    .append(job.status())
                    .append("\">")
                    .append(esc(state(job)))
                    .append("</td><td>")
                    .append(esc(mode(job)))
                    .append("</td><td class=\"reason\">")
                    .append(esc(job.reason()))
                    .append("</td><td>")
                    .append(esc(job.actor()))
                    .append("</td><td>")
                    .append(time(job.changedAt()))
                    .append("</td><td>");
            if (last != null) {
                body.append("<a href=\"")
                        .append(esc(runLink(last.runId())))
                        .append("\" class=\"")
                        .append(last.outcome())
                        .append("\">")
                        .append(esc(outcome(last)))
                        .append("</a> ")
                        .append(time(last.startedAt()));
            } else {
                body.append('-');
            }
            body.append("</td><td class=\"chart\">")
                    .append(Chart.svg(runs, 160, 36))
                    .append("</td></tr>");
        }
        return body.append("</tbody></table></div>").toString();
    }

    Optional<String> job(String name, ConsoleRequest request, Forms forms) {
        if (name == null || !isKnown(name)) {
            return Optional.empty();
        }
        JobState state = guard.state(name).job();
        List<RunRecord> runs = guard.runs(name, RUNS);
        StringBuilder body = new StringBuilder("<h1>Job ").append(esc(name)).append("</h1>");
        body.append("<p id=\"state\">State: <span class=\"")
                .append(state.status())
                .append("\">")
                .append(esc(state(state)))
                .append("</span>; mode pin: ")
                .append(esc(mode(state)));
        if (state.version() > 0) {
            body.append("; ")
                    .append(esc(state.reason()))
                    .append(" (by ")
                    .append(esc(state.actor()))
                    .append(" at ")
                    .append(time(state.changedAt()))
                    .append(')');
        }
        body.append("</p>");
        body.append(forms.jobActions(request, name, state));
        body.append("<h2>Rows changed per run</h2>").append(Chart.svg(runs, 720, 180));
        body.append("<p class=\"legend\">Bars: rows per run (red: tripped); dashed line: the anomaly limit (a trip's"
                + " own, else the default 10 x the median of earlier successful ENFORCE runs, at least 50).</p>");
        body.append(
                "<h2>Runs</h2><div class=\"wrap\"><table id=\"runs\"><thead><tr><th>Started</th><th>Outcome</th>"
                        + "<th>Mode</th><th>Rows</th><th>Kept</th><th>Duration</th><th>Node</th><th>Trip</th></tr></thead><tbody>");
        for (RunRecord run : runs) {
            body.append("<tr><td><a href=\"")
                    .append(esc(runLink(run.runId())))
                    .append("\">")
                    .append(time(run.startedAt()))
                    .append("</a></td><td class=\"")
                    .append(run.outcome())
                    .append("\">")
                    .append(esc(outcome(run)))
                    .append("</td><td>")
                    .append(run.mode())
                    .append("</td><td>")
                    .append(run.rowsChanged())
                    .append(run.rowCountIsLowerBound() ? "+" : "")
                    .append("</td><td>")
                    .append(esc(run.rowsCommitted()))
                    .append("</td><td>")
                    .append(esc(Html.duration(run.duration())))
                    .append("</td><td>")
                    .append(esc(run.node()))
                    .append("</td><td>")
                    .append(esc(run.trip() == null ? null : run.trip().reason()))
                    .append("</td></tr>");
        }
        body.append("</tbody></table></div>");
        body.append("<h2>Audit trail</h2>").append(actions(guard.history(name, ACTIONS)));
        return Optional.of(body.toString());
    }

    Optional<String> run(String runId, long afterSeq, ConsoleRequest request, Forms forms) {
        Optional<RunRecord> found = runId == null ? Optional.empty() : guard.run(runId);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        RunRecord run = found.get();
        StringBuilder body =
                new StringBuilder("<h1>Run ").append(esc(run.runId())).append("</h1>");
        body.append("<p id=\"summary\">Job <a href=\"")
                .append(esc(jobLink(run.job())))
                .append("\">")
                .append(esc(run.job()))
                .append("</a>: <span class=\"")
                .append(run.outcome())
                .append("\">")
                .append(esc(outcome(run)))
                .append("</span> in ")
                .append(run.mode())
                .append(" on ")
                .append(esc(run.node()))
                .append(", started ")
                .append(time(run.startedAt()))
                .append(", took ")
                .append(esc(Html.duration(run.duration())))
                .append("; ")
                .append(run.rowsChanged())
                .append(" row(s) changed, ")
                .append(esc(run.rowsCommitted()))
                .append(" committed, ")
                .append(esc(run.rowsRolledBack()))
                .append(" rolled back.</p>");
        if (run.detail() != null) {
            body.append("<p>Detail: ").append(esc(run.detail())).append("</p>");
        }
        Trip trip = run.trip();
        if (trip != null) {
            body.append("<h2>Trip</h2><div id=\"trip\"><p>")
                    .append(esc(trip.reason()))
                    .append(": ")
                    .append(esc(trip.describe()))
                    .append("</p><p>Limit ")
                    .append(trip.limit())
                    .append(", figure ")
                    .append(trip.figure() < 0 ? "the whole table" : Long.toString(trip.figure()))
                    .append(trip.table() == null ? "" : ", table " + esc(trip.table()))
                    .append(trip.beforeExecution() ? ", refused before it ran (preflight)" : "")
                    .append("</p>");
            if (trip.statement() != null) {
                body.append("<p>Statement:</p><pre id=\"trip-statement\">")
                        .append(esc(trip.statement()))
                        .append("</pre>");
            }
            body.append("</div>");
        }
        body.append("<h2>Rows per table and operation</h2>");
        if (run.rowsByTable().isEmpty()) {
            body.append("<p>None.</p>");
        } else {
            body.append(
                    "<table id=\"tables\"><thead><tr><th>Table</th><th>Operation</th><th>Rows</th></tr></thead><tbody>");
            for (Map.Entry<String, Map<Operation, Long>> table :
                    run.rowsByTable().entrySet()) {
                for (Map.Entry<Operation, Long> count : table.getValue().entrySet()) {
                    body.append("<tr><td>")
                            .append(esc(table.getKey()))
                            .append("</td><td>")
                            .append(count.getKey())
                            .append("</td><td>")
                            .append(count.getValue())
                            .append("</td></tr>");
                }
            }
            body.append("</tbody></table>");
        }
        body.append(statements(run));
        body.append(journal(run, afterSeq));
        body.append(forms.revert(request, run));
        return Optional.of(body.toString());
    }

    private String statements(RunRecord run) {
        List<StatementSummary> statements = guard.stateStore().statements(run.runId());
        StringBuilder body = new StringBuilder("<h2>Statements</h2>");
        if (statements.isEmpty()) {
            return body.append("<p>None recorded (the run wrote nothing, was skipped, or was recorded by a store that"
                            + " keeps no statements).</p>")
                    .toString();
        }
        body.append(
                "<div class=\"wrap\"><table id=\"statements\"><thead><tr><th>Statement</th><th>Table</th>"
                        + "<th>Operation</th><th>Executions</th><th>Rows</th><th>Counted before it ran</th></tr></thead><tbody>");
        for (StatementSummary statement : statements) {
            body.append("<tr><td><code>")
                    .append(esc(statement.sql()))
                    .append("</code></td><td>")
                    .append(esc(statement.table()))
                    .append("</td><td>")
                    .append(statement.operation())
                    .append("</td><td>")
                    .append(statement.executions())
                    .append("</td><td>")
                    .append(statement.rows())
                    .append("</td><td class=\"preflight\">")
                    .append(statement.notPreflighted() == null ? "" : "no: " + esc(statement.notPreflighted()))
                    .append("</td></tr>");
        }
        return body.append("</tbody></table></div>").toString();
    }

    private String journal(RunRecord run, long afterSeq) {
        StringBuilder body = new StringBuilder("<h2>Change journal</h2>");
        if (!guard.changeJournal().canRevert()) {
            return body.append("<p>No change journal is configured.</p>").toString();
        }
        List<JournalEntry> entries;
        try {
            entries = guard.changeJournal().entries(run.runId(), afterSeq, JOURNAL_PAGE);
        } catch (RuntimeException unreadable) {
            return body.append("<p class=\"error\">The journal could not be read: ")
                    .append(esc(unreadable.getMessage()))
                    .append("</p>")
                    .toString();
        }
        if (entries.isEmpty()) {
            return body.append(
                            afterSeq == 0
                                    ? "<p>This run has no journal (the job runs without journal = true, it wrote nothing, or"
                                            + " the journal was purged).</p>"
                                    : "<p>No more entries.</p>")
                    .toString();
        }
        body.append("<div class=\"wrap\"><table id=\"journal\"><thead><tr><th>#</th><th>Table</th><th>Change</th>"
                + "<th>Key</th><th>Column</th><th>Before</th><th>After</th></tr></thead><tbody>");
        for (JournalEntry entry : entries) {
            if (entry.isGap()) {
                body.append("<tr class=\"gap\"><td>")
                        .append(entry.seq())
                        .append("</td><td>")
                        .append(esc(entry.table()))
                        .append("</td><td>not journaled</td><td colspan=\"4\">")
                        .append(esc(entry.before()))
                        .append("</td></tr>");
                continue;
            }
            Map<String, String> before = entry.beforeColumns();
            Map<String, String> after = entry.afterColumns();
            Set<String> columns = new LinkedHashSet<>(before.keySet());
            columns.addAll(after.keySet());
            String change = switch (entry.operation()) {
                case "INSERT" -> "inserted";
                case "DELETE" -> "deleted";
                default -> "updated";
            };
            boolean first = true;
            for (String column : columns) {
                String was = before.get(column);
                String now = after.get(column);
                boolean changed = "UPDATE".equals(entry.operation()) && !java.util.Objects.equals(was, now);
                body.append("<tr class=\"")
                        .append(esc(entry.operation()))
                        .append(changed ? " changed" : "")
                        .append("\">");
                if (first) {
                    int span = columns.size();
                    body.append("<td rowspan=\"").append(span).append("\">").append(entry.seq());
                    body.append("</td><td rowspan=\"")
                            .append(span)
                            .append("\">")
                            .append(esc(entry.table()));
                    body.append("</td><td rowspan=\"")
                            .append(span)
                            .append("\">")
                            .append(change);
                    body.append("</td><td rowspan=\"")
                            .append(span)
                            .append("\">")
                            .append(esc(entry.key()));
                    body.append("</td>");
                    first = false;
                }
                body.append("<td>")
                        .append(esc(column))
                        .append("</td><td>")
                        .append(was == null ? "" : esc(was))
                        .append("</td><td>")
                        .append(now == null ? "" : esc(now))
                        .append("</td></tr>");
            }
        }
        body.append("</tbody></table></div>");
        long last = entries.get(entries.size() - 1).seq();
        if (afterSeq > 0) {
            body.append("<a href=\"").append(esc(runLink(run.runId()))).append("\">First page</a> ");
        }
        if (entries.size() == JOURNAL_PAGE) {
            body.append("<a id=\"next-page\" href=\"")
                    .append(esc(runLink(run.runId()) + "&after=" + last))
                    .append("\">Next page</a>");
        }
        return body.toString();
    }

    private String actions(List<JobAction> actions) {
        if (actions.isEmpty()) {
            return "<p>No action recorded.</p>";
        }
        StringBuilder body = new StringBuilder("<div class=\"wrap\"><table id=\"actions\"><thead><tr><th>When</th>"
                + "<th>Action</th><th>From</th><th>To</th><th>Mode</th><th>By</th><th>Reason</th><th>Run</th>"
                + "<th>Until</th></tr></thead><tbody>");
        for (JobAction action : actions) {
            body.append("<tr><td>")
                    .append(time(action.at()))
                    .append("</td><td>")
                    .append(action.kind())
                    .append("</td><td>")
                    .append(esc(action.fromStatus()))
                    .append("</td><td>")
                    .append(esc(action.toStatus()))
                    .append("</td><td>")
                    .append(esc(action.mode()))
                    .append("</td><td>")
                    .append(esc(action.actor()))
                    .append("</td><td>")
                    .append(esc(action.reason()))
                    .append("</td><td>");
            if (action.runId() != null) {
                body.append("<a href=\"")
                        .append(esc(runLink(action.runId())))
                        .append("\">")
                        .append(esc(action.runId().length() > 8 ? action.runId().substring(0, 8) : action.runId()))
                        .append("</a>");
            } else {
                body.append('-');
            }
            body.append("</td><td>").append(time(action.until())).append("</td></tr>");
        }
        return body.append("</tbody></table></div>").toString();
    }

    boolean isKnown(String job) {
        return guard.knownJobs().stream().anyMatch(state -> state.job().equals(job));
    }

    String jobLink(String job) {
        return base + "/job?name=" + url(job);
    }

    String runLink(String runId) {
        return base + "/run?id=" + url(runId);
    }

    private String state(JobState state) {
        if (!state.isDisabled() || state.disabledUntil() == null) {
            return state.status().name();
        }
        Duration left = Duration.between(clock.instant(), state.disabledUntil());
        return "DISABLED until " + time(state.disabledUntil()) + " ("
                + Html.duration(left.isNegative() ? Duration.ZERO : left) + " left)";
    }

    private static String mode(JobState state) {
        return state.modeOverride() == null ? "-" : state.modeOverride().name();
    }

    private static String outcome(RunRecord run) {
        if (run.outcome() == null) {
            return "RUNNING";
        }
        return run.occurrences() > 1
                ? run.outcome() + " x" + run.occurrences()
                : run.outcome().name();
    }
}
