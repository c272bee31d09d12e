package dev.jobguard.examples;

import dev.jobguard.GuardMode;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.spring.JobGuardTripEvent;
import dev.jobguard.state.JobState;
import dev.jobguard.state.JobStatus;
import dev.jobguard.state.RunRecord;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Tells the incident on the console: the job is called through its Spring proxy (as the scheduler calls it), the
 * operator's steps go through {@link JobGuard}'s API (what the CLI and the actuator endpoint do), and every figure is
 * counted by query. With {@code --serve} it prints how to try the CLI and the endpoint instead.
 */
@Component
public class Story implements ApplicationRunner {

    private static final String OPERATOR = "alice";

    private final InvoiceJobs jobs;
    private final InvoiceTables invoices;
    private final JobGuard guard;
    private final boolean serve;
    private final String jdbcUrl;
    private final int port;
    private final List<String> problems = new ArrayList<>();

    public Story(
            InvoiceJobs jobs,
            InvoiceTables invoices,
            JobGuard guard,
            @Value("${invoices.serve}") boolean serve,
            @Value("${spring.datasource.url}") String jdbcUrl,
            @Value("${server.port}") int port) {
        this.jobs = jobs;
        this.invoices = invoices;
        this.guard = guard;
        this.serve = serve;
        this.jdbcUrl = jdbcUrl;
        this.port = port;
    }

    @Override
    public void run(ApplicationArguments args) {
        if (serve) {
            serve();
        } else {
            tell();
        }
    }

    private void tell() {
        String job = InvoiceJobs.JOB;
        say("The invoice incident, in a Spring Boot application on H2 (%s)", jdbcUrl);
        say(
                "Seeded %,d open invoices; %,d are overdue by more than 30 days.",
                invoices.open(), invoices.reallyOverdue());
        say("The job: @Scheduled @GuardedJob(name = \"%s\", maxRowsChanged = 500), release %s", job, jobs.release());

        say("%n1. The buggy release, tried in DRY_RUN first (the operator pins the mode, no redeploy)");
        guard.enable(job, "try release 1.4.0 before it runs for real", OPERATOR, GuardMode.DRY_RUN);
        RunRecord dry = runJob();
        say("   run %s in %s", dry.outcome(), dry.mode());
        if (dry.trip() != null) {
            say("   it would trip: %s", dry.trip().describe());
        }
        say("   invoices still open: %,d; cancelled: %,d (nothing ran for real)", open(), cancelled());
        expect(dry.mode() == GuardMode.DRY_RUN && dry.trip() != null, "the buggy dry run should trip");
        expect(
                dry.trip().beforeExecution() && dry.trip().figure() > 500,
                "the preflight should refuse the buggy statement before it runs: more than 500 invoices match");
        expect(cancelled() == 0, "the dry run should cancel nothing");

        say("%n2. The buggy release, ENFORCED (someone clears the override and ships it anyway)");
        guard.enable(job, "looked fine on staging", "bob");
        RunRecord buggy = runJob();
        say(
                "   run %s in %s (the ERROR line above is the guard's one log line for a trip)",
                buggy.outcome(), buggy.mode());
        say("   invoices still open: %,d; cancelled: %,d (the statement never ran)", open(), cancelled());
        JobState state = guard.state(job).job();
        say("   the job is now %s by %s: %s", state.status(), state.actor(), state.reason());
        expect(buggy.outcome() == RunOutcome.TRIPPED, "the buggy enforced run should trip");
        expect(open() == InvoiceTables.INVOICES && cancelled() == 0, "every invoice should be intact");
        expect(state.status() == JobStatus.DISABLED, "the job should be disabled after the trip");

        say("%n3. The scheduler's next tick, while the job is disabled");
        RunRecord skipped = runJob();
        String why = skipped.detail() == null ? "" : skipped.detail().replaceFirst(" \\(.*", "");
        say("   run %s: %s; nothing ran", skipped.outcome(), why);
        expect(skipped.outcome() == RunOutcome.SKIPPED, "a disabled job should be skipped");

        say("%n4. The fixed release, in DRY_RUN");
        jobs.shipFix();
        guard.enable(job, "try release 1.4.1", OPERATOR, GuardMode.DRY_RUN);
        say("   release %s deployed; the operator enables the job pinned to DRY_RUN", jobs.release());
        RunRecord fixedDry = runJob();
        say(
                "   run %s in %s: it would cancel %,d invoices; cancelled so far: %,d",
                fixedDry.outcome(), fixedDry.mode(), fixedDry.rowsChanged("invoices"), cancelled());
        expect(fixedDry.outcome() == RunOutcome.SUCCEEDED, "the fixed dry run should succeed");
        expect(fixedDry.rowsChanged() == InvoiceTables.REALLY_OVERDUE, "the fixed dry run should count the overdue");
        expect(cancelled() == 0, "the dry run should cancel nothing");

        say("%n5. The fixed release, ENFORCED");
        guard.enable(job, "1.4.1 dry run cancels only the overdue invoices", OPERATOR);
        RunRecord fixed = runJob();
        say(
                "   run %s in %s: cancelled %,d invoices; still open: %,d; overdue and open: %,d",
                fixed.outcome(), fixed.mode(), cancelled(), open(), invoices.reallyOverdue());
        expect(fixed.outcome() == RunOutcome.SUCCEEDED, "the fixed run should succeed");
        expect(cancelled() == InvoiceTables.REALLY_OVERDUE, "the fixed run should cancel exactly the overdue invoices");
        expect(open() == InvoiceTables.INVOICES - InvoiceTables.REALLY_OVERDUE, "the others should stay open");

        if (!problems.isEmpty()) {
            throw new IllegalStateException("the example did not go as told: " + String.join("; ", problems));
        }
        say(
                "%nThe guard stopped the buggy release with every invoice intact; the fix cancelled only the overdue ones.");
        say("Try it live: mvn -B -q -pl examples -am -DskipTests package exec:java -Dexec.args=--serve");
    }

    private void serve() {
        String job = InvoiceJobs.JOB;
        say(
                "The invoice incident, served: %,d open invoices, %,d overdue by more than 30 days.",
                open(), invoices.reallyOverdue());
        say("The scheduler runs '%s' every 10 s, release %s: expect a trip on its first tick.", job, jobs.release());
        say("When it trips, release 1.4.1 (the fix) is deployed; the job stays DISABLED until an operator enables it.");
        say("");
        say(
                "The operator console: http://127.0.0.1:%d/jobguard/ (the job, its runs, the trip, the audit trail; enable"
                        + " it there with a reason)",
                port);
        say("");
        say("The actuator endpoint (http://127.0.0.1:%d/actuator/jobguard):", port);
        say("  curl -s localhost:%d/actuator/jobguard", port);
        say("  curl -s localhost:%d/actuator/jobguard/%s", port, job);
        say(
                "  curl -s -X POST -H 'Content-Type: application/json' localhost:%d/actuator/jobguard/%s \\%n"
                        + "       -d '{\"action\":\"enable\",\"mode\":\"dry-run\",\"reason\":\"try 1.4.1\"}'",
                port, job);
        say("The CLI (build it with: mvn -B -q -pl cli -am -DskipTests package), from the repository's root:");
        say("  java -jar cli/target/jobguard-cli.jar --jdbc-url '%s' --user sa status", jdbcUrl);
        say("  java -jar cli/target/jobguard-cli.jar --jdbc-url '%s' --user sa runs %s", jdbcUrl, job);
        say(
                "  java -jar cli/target/jobguard-cli.jar --jdbc-url '%s' --user sa enable %s --mode dry-run --reason 'try 1.4.1'",
                jdbcUrl, job);
        say(
                "  java -jar cli/target/jobguard-cli.jar --jdbc-url '%s' --user sa enable %s --reason 'dry run looked right'",
                jdbcUrl, job);
        say(
                "  java -jar cli/target/jobguard-cli.jar --jdbc-url '%s' --user sa console --port 8089   # the console, standalone",
                jdbcUrl);
        say("Ctrl-C stops it.");
        say("");
    }

    /** With --serve: the trip, as the application hears it; then the fix is deployed. */
    @EventListener
    public void tripped(JobGuardTripEvent event) {
        if (!serve) {
            return;
        }
        say("   [event] %s: %s", event.getJob(), event.getTrip().describe());
        if (event.getTrip().disabled()) {
            jobs.shipFix();
            say(
                    "   [deploy] release %s is out; enable the job (dry-run first) with the CLI or the endpoint.",
                    jobs.release());
        }
    }

    /** Calls the job as the scheduler would (through its proxy: one guarded run) and reads back the run. */
    private RunRecord runJob() {
        jobs.cancelOverdueInvoices();
        return guard.runs(InvoiceJobs.JOB, 1).get(0);
    }

    private long open() {
        return invoices.open();
    }

    private long cancelled() {
        return invoices.cancelled();
    }

    private void expect(boolean told, String what) {
        if (!told) {
            problems.add(what);
            say("   !! not as told: %s", what);
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(format, args));
    }
}
