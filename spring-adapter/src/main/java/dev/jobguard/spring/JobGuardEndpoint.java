package dev.jobguard.spring;

import dev.jobguard.GuardMode;
import dev.jobguard.JobGuard;
import dev.jobguard.Operation;
import dev.jobguard.RunReport;
import dev.jobguard.RunRequest;
import dev.jobguard.Trip;
import dev.jobguard.internal.config.PolicyOverrides;
import dev.jobguard.journal.RevertException;
import dev.jobguard.journal.RevertOptions;
import dev.jobguard.journal.RevertReport;
import dev.jobguard.state.JobAction;
import dev.jobguard.state.JobState;
import dev.jobguard.state.RunRecord;
import dev.jobguard.state.StateStore;
import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.lang.Nullable;

/**
 * Actuator endpoint {@code jobguard}: {@code GET /actuator/jobguard} (every job with its state and last run),
 * {@code GET /actuator/jobguard/{job}} (state and recent runs), {@code POST /actuator/jobguard/{job}} with
 * {@code {"action":"disable"|"enable","reason":"...","mode":"dry-run"}} (a disable may carry {@code "until"}, an
 * ISO-8601 instant: the job is enabled again by itself then), {@code {"action":"run","mode":"dry-run"}} (run the job
 * once now on this node: see the README), {@code POST /actuator/jobguard/{job}/{run}} (revert a run from its
 * change journal). The actor recorded is the authenticated
 * principal when there is one, else {@code actuator}. Unknown job: 404; a missing or bad action, a missing reason, or
 * a bad mode: 400; each with a message.
 */
@Endpoint(id = "jobguard")
public class JobGuardEndpoint {

    /** Runs listed by {@code GET /actuator/jobguard/{job}}. */
    public static final int RECENT_RUNS = 20;

    /** Entries of the audit trail listed by {@code GET /actuator/jobguard/{job}}. */
    public static final int RECENT_ACTIONS = 20;

    private final JobGuard guard;
    private final PolicyResolver resolver;
    private final GuardedJobRunner runner;

    JobGuardEndpoint(JobGuard guard, PolicyResolver resolver, GuardedJobRunner runner) {
        this.guard = guard;
        this.resolver = resolver;
        this.runner = runner;
    }

    @ReadOperation
    public Map<String, Object> jobs() {
        Map<String, Object> body = new LinkedHashMap<>();
        JobState global = guard.state(JobState.GLOBAL).global();
        body.put("enabled", !global.isDisabled());
        body.put("global", state(global));
        List<Map<String, Object>> jobs = new ArrayList<>();
        for (String job : knownJobs()) {
            Map<String, Object> entry = state(guard.state(job).job());
            List<RunRecord> last = guard.runs(job, 1);
            entry.put("lastRun", last.isEmpty() ? null : run(last.get(0)));
            jobs.add(entry);
        }
        body.put("jobs", jobs);
        return body;
    }

    @ReadOperation
    public WebEndpointResponse<Map<String, Object>> job(@Selector String job) {
        if (!knownJobs().contains(job)) {
            return unknown(job);
        }
        StateStore.JobStates states = guard.state(job);
        Map<String, Object> body = state(states.job());
        body.put("runnable", states.runnable());
        body.put(
                "runs",
                guard.runs(job, RECENT_RUNS).stream().map(JobGuardEndpoint::run).toList());
        body.put(
                "actions",
                guard.history(job, RECENT_ACTIONS).stream()
                        .map(JobGuardEndpoint::action)
                        .toList());
        return new WebEndpointResponse<>(body, WebEndpointResponse.STATUS_OK);
    }

    /** {@link #change(String, String, String, String, String, Boolean, SecurityContext)} without {@code wait}. */
    public WebEndpointResponse<Map<String, Object>> change(
            String job, String action, String reason, String mode, String until, SecurityContext securityContext) {
        return change(job, action, reason, mode, until, null, securityContext);
    }

    // Spring's @Nullable marks optional parameters on both Boot lines (deprecated in Spring 7, still honoured)
    @WriteOperation
    @SuppressWarnings("deprecation")
    public WebEndpointResponse<Map<String, Object>> change(
            @Selector String job,
            @Nullable String action,
            @Nullable String reason,
            @Nullable String mode,
            @Nullable String until,
            @Nullable Boolean wait,
            SecurityContext securityContext) {
        if (!knownJobs().contains(job)) {
            return unknown(job);
        }
        if (action == null || action.isBlank()) {
            return badRequest("jobguard: missing action for job '" + job + "': send {\"action\":\"disable\"} or"
                    + " {\"action\":\"enable\"}, with a \"reason\" (and for enable an optional \"mode\"), or"
                    + " {\"action\":\"run\"}");
        }
        String verb = action.strip().toLowerCase(Locale.ROOT);
        if (verb.equals("run")) {
            return runNow(job, reason, mode, until, wait, securityContext);
        }
        if (!verb.equals("disable") && !verb.equals("enable")) {
            return badRequest("jobguard: unknown action '" + action + "' for job '" + job + "': use \"disable\","
                    + " \"enable\" or \"run\"");
        }
        if (wait != null) {
            return badRequest("jobguard: \"wait\" applies to run only (" + verb + " job '" + job + "' without it)");
        }
        if (reason == null || reason.isBlank()) {
            return badRequest("jobguard: a reason is required to " + verb + " job '" + job + "': send {\"action\":\""
                    + verb + "\",\"reason\":\"why\"} (kept with the job's state)");
        }
        String actor = actor(securityContext);
        JobState state;
        if (verb.equals("disable")) {
            if (mode != null && !mode.isBlank()) {
                return badRequest(
                        "jobguard: a mode applies to enable only (disable job '" + job + "' without" + " a mode)");
            }
            Instant end = null;
            if (until != null && !until.isBlank()) {
                try {
                    end = Instant.parse(until.strip());
                } catch (DateTimeParseException invalid) {
                    return badRequest("jobguard: \"until\" '" + until + "' for job '" + job + "' is not an ISO-8601"
                            + " instant: send e.g. {\"action\":\"disable\",\"reason\":\"...\",\"until\":"
                            + "\"2026-12-24T06:00:00Z\"}");
                }
            }
            try {
                state = guard.disable(job, reason, actor, end);
            } catch (IllegalArgumentException invalid) {
                return badRequest(invalid.getMessage() + " (\"until\" of job '" + job + "')");
            }
        } else if (until != null && !until.isBlank()) {
            return badRequest("jobguard: \"until\" applies to disable only (enable job '" + job + "' without it)");
        } else if (mode == null || mode.isBlank()) {
            state = guard.enable(job, reason, actor);
        } else {
            GuardMode pinned;
            try {
                pinned = PolicyOverrides.parseMode(job, mode);
            } catch (IllegalArgumentException invalid) {
                return badRequest(invalid.getMessage().replace(PolicyOverrides.PREFIX + job + ".mode", "mode"));
            }
            state = guard.enable(job, reason, actor, pinned);
        }
        return new WebEndpointResponse<>(state(state), WebEndpointResponse.STATUS_OK);
    }

    /**
     * {@code {"action":"run"}}: runs the job once now on this node, through its bean, under the same state checks and
     * lock as a scheduled run (a disabled job is SKIPPED, and the answer says so). {@code "mode"}: {@code dry-run}
     * (always a dry run) or {@code observe} (unless the job's own mode is DRY_RUN, which it keeps); none for the job's
     * own mode. {@code "reason"}: optional, recorded with who asked in the run's detail. Answers 200 with the run's
     * report once it has ended, or 202 with its id when it takes longer than {@code jobguard.run-now.timeout}, or at
     * once with {@code "wait":false}: its record appears in {@code GET /actuator/jobguard/{job}} when it ends. 404 for a
     * job that is no {@code @GuardedJob} method of a bean here, 400 for a bad mode or a method that cannot be run now,
     * 409 while a run now of the job is under way on this node.
     */
    private WebEndpointResponse<Map<String, Object>> runNow(
            String job, String reason, String mode, String until, Boolean wait, SecurityContext securityContext) {
        if (until != null && !until.isBlank()) {
            return badRequest("jobguard: \"until\" applies to disable only (run job '" + job + "' without it)");
        }
        GuardMode asked = null;
        if (mode != null && !mode.isBlank()) {
            String fix = "send \"mode\":\"dry-run\" or \"mode\":\"observe\" with {\"action\":\"run\"}, or no"
                    + " mode to run job '" + job + "' in its own mode";
            try {
                asked = GuardMode.parse(mode);
            } catch (IllegalArgumentException invalid) {
                return badRequest("jobguard: invalid mode '" + mode + "' to run job '" + job + "' now: " + fix);
            }
            if (asked == GuardMode.ENFORCE) {
                return badRequest("jobguard: run now does not take mode '" + mode + "' for job '" + job + "' (it would"
                        + " override a mode an operator pinned): " + fix);
            }
        }
        String actor = actor(securityContext);
        RunRequest request = RunRequest.of(
                asked, actor, reason == null || reason.isBlank() ? "actuator" : "actuator (" + reason.strip() + ")");
        CompletableFuture<RunReport> run;
        try {
            run = runner.start(job, request);
        } catch (GuardedJobRunner.Refused refused) {
            int status = switch (refused.reason()) {
                case NOT_HERE -> WebEndpointResponse.STATUS_NOT_FOUND;
                case NOT_RUNNABLE -> WebEndpointResponse.STATUS_BAD_REQUEST;
                case ALREADY_RUNNING -> 409;
            };
            return new WebEndpointResponse<>(message(refused.getMessage()), status);
        }
        if (Boolean.FALSE.equals(wait)) {
            return underWay(job, request, "started");
        }
        Duration timeout = runner.timeout();
        try {
            RunReport report = run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return new WebEndpointResponse<>(report(report), WebEndpointResponse.STATUS_OK);
        } catch (TimeoutException stillRunning) {
            return underWay(job, request, "under way after " + timeout.toMillis() + " ms (jobguard.run-now.timeout)");
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return new WebEndpointResponse<>(
                    message("jobguard: interrupted while waiting for run " + request.runId() + " of job '" + job + "'"),
                    WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
        } catch (ExecutionException failed) {
            return new WebEndpointResponse<>(
                    message(String.valueOf(failed.getCause().getMessage())),
                    WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR);
        }
    }

    /** 202 with the id of a run now that goes on. */
    private static WebEndpointResponse<Map<String, Object>> underWay(String job, RunRequest request, String state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", request.runId());
        body.put("job", job);
        body.put("outcome", "RUNNING");
        body.put(
                "message",
                "jobguard: run " + request.runId() + " of job '" + job + "' " + state + "; GET /actuator/jobguard/"
                        + job + " shows its record when it ends");
        return new WebEndpointResponse<>(body, 202);
    }

    /** A run's report, as run now answers it. */
    static Map<String, Object> report(RunReport report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", report.runId());
        body.put("job", report.jobName());
        body.put("node", report.node());
        body.put("mode", report.mode().name());
        body.put("outcome", report.outcome().name());
        body.put("startedAt", text(report.startedAt()));
        body.put("endedAt", text(report.endedAt()));
        body.put("rowsChanged", report.rowsChanged());
        body.put("rowCountIsLowerBound", report.rowCountIsLowerBound());
        body.put("rowsCommitted", report.rowsCommitted());
        body.put("rowsRolledBack", report.rowsRolledBack());
        body.put("rowsByTable", rowsByTable(report.rowsByTable()));
        body.put("trip", report.trip().map(Trip::describe).orElse(null));
        body.put("wouldTrip", report.wouldTrips().stream().map(Trip::describe).toList());
        body.put("notPreflighted", report.notPreflighted());
        body.put(
                "statements",
                report.statements().stream()
                        .map(statement -> {
                            Map<String, Object> entry = new LinkedHashMap<>();
                            entry.put("sql", statement.sql());
                            entry.put("table", statement.table());
                            entry.put("operation", statement.operation().name());
                            entry.put("executions", statement.executions());
                            entry.put("rows", statement.rows());
                            entry.put("notPreflighted", statement.notPreflighted());
                            return entry;
                        })
                        .toList());
        body.put("failure", report.failure().map(Throwable::toString).orElse(null));
        body.put("detail", report.detail().orElse(null));
        body.put("summary", report.summary());
        return body;
    }

    private static Map<String, Object> rowsByTable(Map<String, Map<Operation, Long>> rows) {
        Map<String, Object> tables = new LinkedHashMap<>();
        new TreeMap<>(rows).forEach((table, operations) -> {
            Map<String, Long> byOperation = new LinkedHashMap<>();
            new TreeMap<>(operations).forEach((operation, count) -> byOperation.put(operation.name(), count));
            tables.put(table, byOperation);
        });
        return tables;
    }

    /**
     * {@code POST /actuator/jobguard/{job}/{run}} with {@code {"dryRun":true,"force":false,"reason":"..."}}: reverts
     * the run from its change journal. 200 with the report (also when conflicts stopped it: {@code applied} false);
     * 404 for an unknown job, a run of another job or a run without journal; 409 when the run was reverted already or
     * is itself a revert.
     */
    @WriteOperation
    @SuppressWarnings("deprecation")
    public WebEndpointResponse<Map<String, Object>> revert(
            @Selector String job,
            @Selector String run,
            @Nullable Boolean dryRun,
            @Nullable Boolean force,
            @Nullable String reason,
            SecurityContext securityContext) {
        if (!knownJobs().contains(job)) {
            return unknown(job);
        }
        Optional<RunRecord> record = guard.run(run);
        if (record.isPresent() && !record.get().job().equals(job)) {
            return new WebEndpointResponse<>(
                    message("jobguard: run " + run + " is a run of job '"
                            + record.get().job() + "', not of '" + job + "'"),
                    WebEndpointResponse.STATUS_NOT_FOUND);
        }
        RevertOptions options = RevertOptions.DEFAULTS
                .withDryRun(Boolean.TRUE.equals(dryRun))
                .withForce(Boolean.TRUE.equals(force))
                .withActor(actor(securityContext))
                .withReason(reason == null || reason.isBlank() ? "revert via actuator" : reason);
        try {
            return new WebEndpointResponse<>(report(guard.revert(run, options)), WebEndpointResponse.STATUS_OK);
        } catch (RevertException refused) {
            int status = switch (refused.reason()) {
                case NO_JOURNAL -> WebEndpointResponse.STATUS_NOT_FOUND;
                case REFUSED -> 409;
                case FAILED -> WebEndpointResponse.STATUS_INTERNAL_SERVER_ERROR;
            };
            return new WebEndpointResponse<>(message(refused.getMessage()), status);
        }
    }

    private static String actor(SecurityContext securityContext) {
        Principal principal = securityContext == null ? null : securityContext.getPrincipal();
        return principal != null && principal.getName() != null ? principal.getName() : "actuator";
    }

    static Map<String, Object> report(RevertReport report) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", report.runId());
        body.put("revertId", report.revertId());
        body.put("dryRun", report.dryRun());
        body.put("applied", report.applied());
        body.put("partial", report.partial());
        body.put("rowsReverted", report.rowsReverted());
        body.put("rowsByTable", report.rowsByTable());
        body.put(
                "conflicts",
                report.conflicts().stream()
                        .map(conflict ->
                                Map.of("table", conflict.table(), "key", conflict.key(), "detail", conflict.detail()))
                        .toList());
        body.put("conflictCount", report.conflictCount());
        body.put("gaps", report.gaps());
        body.put("gapCount", report.gaps().size());
        body.put("summary", report.summary());
        return body;
    }

    private Set<String> knownJobs() {
        Set<String> names = new TreeSet<>(resolver.knownJobs());
        guard.knownJobs().forEach(state -> names.add(state.job()));
        names.remove(JobState.GLOBAL);
        return names;
    }

    private WebEndpointResponse<Map<String, Object>> unknown(String job) {
        return new WebEndpointResponse<>(
                message("jobguard: unknown job '" + job + "'; known jobs: " + knownJobs()),
                WebEndpointResponse.STATUS_NOT_FOUND);
    }

    private static WebEndpointResponse<Map<String, Object>> badRequest(String message) {
        return new WebEndpointResponse<>(message(message), WebEndpointResponse.STATUS_BAD_REQUEST);
    }

    private static Map<String, Object> message(String message) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message", message);
        return body;
    }

    static Map<String, Object> state(JobState state) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job", state.job());
        body.put("status", state.status().name());
        body.put(
                "modeOverride",
                state.modeOverride() == null ? null : state.modeOverride().name());
        body.put("reason", state.reason());
        body.put("actor", state.actor());
        body.put("changedAt", text(state.changedAt()));
        body.put("version", state.version());
        body.put("disabledUntil", text(state.disabledUntil()));
        return body;
    }

    static Map<String, Object> action(JobAction action) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("job", action.job());
        body.put("action", action.kind().name());
        body.put(
                "fromStatus",
                action.fromStatus() == null ? null : action.fromStatus().name());
        body.put(
                "toStatus", action.toStatus() == null ? null : action.toStatus().name());
        body.put("mode", action.mode() == null ? null : action.mode().name());
        body.put("reason", action.reason());
        body.put("actor", action.actor());
        body.put("at", text(action.at()));
        body.put("runId", action.runId());
        body.put("until", text(action.until()));
        return body;
    }

    static Map<String, Object> run(RunRecord run) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("runId", run.runId());
        body.put("node", run.node());
        body.put("mode", run.mode().name());
        body.put("outcome", run.outcome() == null ? "RUNNING" : run.outcome().name());
        body.put("occurrences", run.occurrences());
        body.put("startedAt", text(run.startedAt()));
        body.put("endedAt", text(run.endedAt()));
        body.put("rowsChanged", run.rowsChanged());
        body.put("rowCountIsLowerBound", run.rowCountIsLowerBound());
        body.put("rowsCommitted", run.rowsCommitted());
        body.put("rowsRolledBack", run.rowsRolledBack());
        Map<String, Object> tables = new LinkedHashMap<>();
        run.rowsByTable().forEach((table, operations) -> {
            Map<String, Long> byOperation = new LinkedHashMap<>();
            operations.forEach((operation, rows) -> byOperation.put(operation.name(), rows));
            tables.put(table, byOperation);
        });
        body.put("rowsByTable", tables);
        Trip trip = run.trip();
        body.put("trip", trip == null ? null : trip.describe());
        body.put("detail", run.detail());
        return body;
    }

    private static String text(Instant instant) {
        return instant == null ? null : instant.toString();
    }
}
