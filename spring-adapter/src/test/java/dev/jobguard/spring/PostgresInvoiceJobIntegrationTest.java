package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.zaxxer.hikari.HikariDataSource;
import dev.jobguard.GuardMode;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.jdbc.GuardedDataSource;
import dev.jobguard.state.JobStatus;
import dev.jobguard.state.RunRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The invoice incident in a Spring Boot application on PostgreSQL: the scheduled buggy job trips, nothing is
 * cancelled, the job is DISABLED, the next tick skips it, the actuator and the health contributor show it, a trip
 * event is published, and a POST enables it in dry-run, which changes nothing either.
 */
@SpringBootTest(
        classes = InvoiceApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "jobguard.state-store.table-prefix=jgspring_",
            "jobguard.node-name=spring-it",
            "management.endpoints.web.exposure.include=health,jobguard",
            "management.endpoint.health.show-details=always"
        })
class PostgresInvoiceJobIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @BeforeAll
    static void database() {
        PostgresTestDatabase.requireAndDropTables(
                "jgspring_", "spring_invoices", "spring_payments", "spring_audit", "spring_jpa_notes");
    }

    @DynamicPropertySource
    static void properties(DynamicPropertyRegistry registry) {
        PostgresTestDatabase.register(registry);
    }

    @Autowired
    JobGuard guard;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    DataSource dataSource;

    @Autowired
    Environment environment;

    @Autowired
    H2Jobs.TripEvents events;

    @Autowired
    InvoiceApp.TickingJobs ticking;

    @Autowired
    InvoiceApp.PaymentsDryRun payments;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theBuggyScheduledRunTripsIsDisabledSkippedShownAndEnabledByAPost() throws Exception {
        assertThat(dataSource).isInstanceOf(GuardedDataSource.class);
        assertThat(dataSource.unwrap(HikariDataSource.class)).isNotNull();

        await().atMost(WAIT).until(() -> outcomes(InvoiceApp.JOB).contains(RunOutcome.TRIPPED));
        assertThat(countInvoices("CANCELLED")).isZero();
        assertThat(countInvoices("OPEN")).isEqualTo(InvoiceApp.INVOICES);
        // the run's record is written before its trip disables the job: the scheduler's thread may be in between
        await().atMost(WAIT).until(() -> guard.state(InvoiceApp.JOB).job().status() == JobStatus.DISABLED);
        assertThat(guard.state(InvoiceApp.JOB).job().actor()).contains("spring-it");

        // the next scheduled tick skips it
        await().atMost(WAIT).until(() -> newest(InvoiceApp.JOB).outcome() == RunOutcome.SKIPPED);
        assertThat(countInvoices("CANCELLED")).isZero();

        // a trip event was published
        await().atMost(WAIT)
                .until(() -> events.events().stream()
                        .anyMatch(event -> event.getJob().equals(InvoiceApp.JOB)
                                && event.getTrip().disabled()));

        // the actuator shows it
        HttpResponse<String> all = get("/actuator/jobguard");
        assertThat(all.statusCode()).isEqualTo(200);
        assertThat(all.body()).contains(InvoiceApp.JOB).contains("DISABLED").contains("tripped in run");
        HttpResponse<String> one = get("/actuator/jobguard/" + InvoiceApp.JOB);
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(one.body()).contains("TRIPPED").contains("SKIPPED").contains("spring_invoices");
        HttpResponse<String> unknown = get("/actuator/jobguard/no-such-job");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("unknown job 'no-such-job'");

        // the health contributor lists it, and stays UP by default
        HttpResponse<String> health = get("/actuator/health/jobguard");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"").contains(InvoiceApp.JOB);

        // bad requests are refused with a message
        HttpResponse<String> badAction = post(InvoiceApp.JOB, "{\"action\":\"restart\",\"reason\":\"x\"}");
        assertThat(badAction.statusCode()).isEqualTo(400);
        assertThat(badAction.body()).contains("unknown action 'restart'");
        HttpResponse<String> badMode =
                post(InvoiceApp.JOB, "{\"action\":\"enable\",\"reason\":\"x\",\"mode\":\"yolo\"}");
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(badMode.body()).contains("enforce, observe or dry-run");
        HttpResponse<String> noAction = post(InvoiceApp.JOB, "{\"reason\":\"x\"}");
        assertThat(noAction.statusCode()).isEqualTo(400);
        assertThat(noAction.body()).contains("missing action");
        HttpResponse<String> noReason = post(InvoiceApp.JOB, "{\"action\":\"enable\"}");
        assertThat(noReason.statusCode()).isEqualTo(400);
        assertThat(noReason.body()).contains("a reason is required");
        assertThat(guard.state(InvoiceApp.JOB).job().status()).isEqualTo(JobStatus.DISABLED);
        assertThat(post("no-such-job", "{\"action\":\"enable\",\"reason\":\"x\"}")
                        .statusCode())
                .isEqualTo(404);

        // a revert of a run goes to /actuator/jobguard/{job}/{run}; this job keeps no journal, so there is none
        String tripped = guard.runs(InvoiceApp.JOB, 50).stream()
                .filter(run -> run.outcome() == RunOutcome.TRIPPED)
                .findFirst()
                .orElseThrow()
                .runId();
        HttpResponse<String> noJournal = post(InvoiceApp.JOB + "/" + tripped, "{\"dryRun\":true}");
        assertThat(noJournal.statusCode()).isEqualTo(404);
        assertThat(noJournal.body()).contains("has no change journal");

        // a POST enables it, in dry-run: the next run executes for real and changes nothing
        HttpResponse<String> enabled =
                post(InvoiceApp.JOB, "{\"action\":\"enable\",\"reason\":\"fix deployed\",\"mode\":\"dry-run\"}");
        assertThat(enabled.statusCode()).isEqualTo(200);
        assertThat(enabled.body()).contains("ENABLED").contains("DRY_RUN").contains("actuator");
        assertThat(guard.state(InvoiceApp.JOB).job().status()).isEqualTo(JobStatus.ENABLED);
        await().atMost(WAIT)
                .until(() -> newest(InvoiceApp.JOB).mode() == GuardMode.DRY_RUN
                        && newest(InvoiceApp.JOB).outcome() != null);
        assertThat(countInvoices("CANCELLED")).isZero();
        assertThat(guard.state(InvoiceApp.JOB).job().status()).isEqualTo(JobStatus.ENABLED);

        HttpResponse<String> disabled = post(InvoiceApp.JOB, "{\"action\":\"disable\",\"reason\":\"done testing\"}");
        assertThat(disabled.statusCode()).isEqualTo(200);
        assertThat(guard.state(InvoiceApp.JOB).job().status()).isEqualTo(JobStatus.DISABLED);
    }

    @Test
    void cronAndFixedRateJobsAreGuardedToo() {
        await().atMost(WAIT)
                .until(() -> outcomes("spring-cron-tick").contains(RunOutcome.SUCCEEDED)
                        && outcomes("spring-rate-tick").contains(RunOutcome.SUCCEEDED));
        assertThat(ticking.cronTicks()).isPositive();
        assertThat(ticking.rateTicks()).isPositive();
    }

    @Test
    void aDryRunThroughRequiresNewLeavesTheDatabaseUnchanged() {
        payments.settleAll();

        RunRecord run = newest("spring-settle-payments");
        assertThat(run.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(run.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(run.rowsChanged()).isEqualTo(InvoiceApp.PAYMENTS + 1 + 2);
        assertThat(run.rowsChanged("spring_audit")).isEqualTo(1);
        assertThat(run.rowsChanged("spring_jpa_notes")).isEqualTo(2);
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM spring_jpa_notes", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM spring_payments WHERE status = 'SETTLED'", Integer.class))
                .isZero();
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM spring_audit", Integer.class))
                .isZero();
    }

    @Test
    void aStateStoreOutageSkipsEveryTickAndTheSchedulerThreadRunsTheJobsAgainAfterwards() {
        await().atMost(WAIT).until(() -> ticking.rateTicks() > 0);
        jdbc.execute("ALTER TABLE jgspring_job RENAME TO jgspring_job_away");
        int duringOutage;
        try {
            // a tick under way may finish; every later one cannot read the job's state and does not run
            await().pollDelay(Duration.ofMillis(400)).atMost(WAIT).until(() -> true);
            duringOutage = ticking.rateTicks();
            await().pollDelay(Duration.ofMillis(1500)).atMost(WAIT).until(() -> true);
            assertThat(ticking.rateTicks()).as("no tick runs unguarded").isEqualTo(duringOutage);
        } finally {
            jdbc.execute("ALTER TABLE jgspring_job_away RENAME TO jgspring_job");
        }
        await().atMost(WAIT).until(() -> ticking.rateTicks() > duringOutage);
        // the tick is counted inside the job, before its run is recorded as ended: the newest run may still be RUNNING
        await().atMost(WAIT).until(() -> outcomes("spring-rate-tick").get(0) == RunOutcome.SUCCEEDED);
    }

    private List<RunOutcome> outcomes(String job) {
        return guard.runs(job, 50).stream().map(RunRecord::outcome).toList();
    }

    private RunRecord newest(String job) {
        List<RunRecord> runs = guard.runs(job, 1);
        return runs.isEmpty()
                ? RunRecord.started("none", job, "none", GuardMode.ENFORCE, java.time.Instant.EPOCH)
                : runs.get(0);
    }

    private int countInvoices(String status) {
        Integer count =
                jdbc.queryForObject("SELECT COUNT(*) FROM spring_invoices WHERE status = ?", Integer.class, status);
        return count == null ? 0 : count;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String job, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(uri("/actuator/jobguard/" + job))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port") + path);
    }
}
