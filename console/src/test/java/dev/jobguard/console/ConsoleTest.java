package dev.jobguard.console;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.state.JobState;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The console's pages and actions without a browser: escaping, refusals, and what an action stores. */
class ConsoleTest {

    private static final Pattern CSRF = Pattern.compile("name=\"csrf\" value=\"([^\"]+)\"");
    private static final String TOKEN = "0123456789abcdef-token";

    private InvoiceIncident incident;
    private Console console;

    @BeforeEach
    void stage() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:console-unit-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1");
        h2.setUser("sa");
        incident = InvoiceIncident.stage(h2);
        console = Console.builder(incident.guard).actionToken(TOKEN).build();
    }

    private ConsoleResponse get(String path, boolean mayAct, String... params) {
        return console.handle(new ConsoleRequest("GET", path, map(params), "alice", mayAct, Map.of()));
    }

    private ConsoleResponse post(String... params) {
        String csrf = csrf();
        Map<String, String> form = map(params);
        form.putIfAbsent("csrf", csrf);
        return console.handle(new ConsoleRequest("POST", "/action", form, "alice", true, Map.of()));
    }

    private String csrf() {
        Matcher found = CSRF.matcher(get("/", true).body());
        assertThat(found.find()).isTrue();
        return found.group(1);
    }

    private static Map<String, String> map(String... pairs) {
        Map<String, String> map = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return map;
    }

    @Test
    void everyValueAJobOrAUserWroteIsEscapedAndThePageForbidsScripts() {
        ConsoleResponse jobs = get("/", false);

        assertThat(jobs.status()).isEqualTo(200);
        assertThat(jobs.body())
                .doesNotContain("<script>alert")
                .contains("&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;")
                .contains("a name that is HTML &lt;b&gt;bold&lt;/b&gt;");
        assertThat(jobs.headers().get("Content-Security-Policy")).startsWith("default-src 'none'");
        assertThat(jobs.headers().get("Cache-Control")).isEqualTo("no-store");
        assertThat(get("/job", false, "name", InvoiceIncident.HOSTILE_JOB).body())
                .doesNotContain("<script>alert")
                .contains("&lt;script&gt;");
    }

    @Test
    void unknownPagesJobsAndRunsAre404() {
        assertThat(get("/nope", false).status()).isEqualTo(404);
        assertThat(get("/job", false, "name", "no-such-job").status()).isEqualTo(404);
        assertThat(get("/run", false, "id", "no-such-run").body()).contains("Unknown run &#39;no-such-run&#39;");
    }

    @Test
    void anActionNeedsThePermissionTheCsrfTokenTheActionTokenAndAReason() throws Exception {
        Map<String, ConsoleResponse> refused = new java.util.LinkedHashMap<>();
        refused.put(
                "read-only",
                console.handle(new ConsoleRequest(
                        "POST",
                        "/action",
                        map("action", "enable", "job", InvoiceIncident.JOB, "reason", "x", "token", TOKEN),
                        "alice",
                        false,
                        Map.of())));
        refused.put(
                "no csrf",
                console.handle(new ConsoleRequest(
                        "POST",
                        "/action",
                        map("action", "enable", "job", InvoiceIncident.JOB, "reason", "x", "token", TOKEN),
                        "alice",
                        true,
                        Map.of())));
        refused.put("no token", post("action", "enable", "job", InvoiceIncident.JOB, "reason", "x"));
        refused.put("wrong token", post("action", "enable", "job", InvoiceIncident.JOB, "reason", "x", "token", "x"));
        refused.put("no reason", post("action", "enable", "job", InvoiceIncident.JOB, "reason", " ", "token", TOKEN));

        assertThat(refused.values()).extracting(ConsoleResponse::status).containsExactly(403, 403, 403, 403, 400);
        assertThat(incident.jobRow(InvoiceIncident.JOB)[0]).isEqualTo("DISABLED");
    }

    @Test
    void aDisableForTwoHoursStoresItsEndAndThePageShowsTheTimeLeft() throws Exception {
        incident.guard.enable(InvoiceIncident.JOB, "fixed", "bob");
        Instant before = Instant.now();

        ConsoleResponse done = post(
                "action", "disable", "job", InvoiceIncident.JOB, "reason", "INC-9", "until", "for 2h", "token", TOKEN);

        assertThat(done.status()).isEqualTo(303);
        JobState state = incident.guard.state(InvoiceIncident.JOB).job();
        assertThat(state.disabledUntil())
                .isBetween(
                        before.plus(Duration.ofMinutes(119)),
                        before.plus(Duration.ofHours(2).plusMinutes(1)));
        assertThat(state.actor()).isEqualTo("alice");
        assertThat(get("/job", false, "name", InvoiceIncident.JOB).body()).contains("DISABLED until", "left)");
    }

    @Test
    void theGlobalSwitchStopsEveryJobAndStartsThemAgainRecordingWhoAndWhy() throws Exception {
        ConsoleResponse stopped = post("action", "disable-all", "reason", "INC-7: freeze all jobs", "token", TOKEN);

        assertThat(stopped.status()).isEqualTo(303);
        assertThat(incident.jobRow(JobState.GLOBAL))
                .containsExactly("DISABLED", "INC-7: freeze all jobs", "alice", null);
        assertThat(get("/", true).body())
                .contains("Enable all jobs", "INC-7: freeze all jobs")
                .doesNotContain("Disable all jobs");

        ConsoleResponse started = post("action", "enable-all", "reason", "INC-7 over", "token", TOKEN);

        assertThat(started.status()).isEqualTo(303);
        assertThat(incident.jobRow(JobState.GLOBAL)).containsExactly("ENABLED", "INC-7 over", "alice", null);
        assertThat(incident.guard.history(JobState.GLOBAL, 2))
                .extracting(action -> action.kind().name() + " " + action.actor())
                .containsExactly("ENABLED alice", "DISABLED alice");
    }

    @Test
    void anUnreadableEndIsRefusedNamingTheJobAndTheFix() throws Exception {
        ConsoleResponse refused = post(
                "action", "disable", "job", InvoiceIncident.JOB, "reason", "x", "until", "soonish", "token", TOKEN);

        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.body()).contains(InvoiceIncident.JOB, "soonish", "2h", "2026-12-24T06:00Z");
    }

    @Test
    void aRunPageSaysWhichStatementWasNotCountedBeforeItRanAndWhy() throws Exception {
        javax.sql.DataSource guarded = dev.jobguard.jdbc.GuardedDataSource.wrap(incident.dataSource);
        dev.jobguard.RunReport report = incident.guard.run(
                dev.jobguard.GuardPolicy.builder("archive")
                        .maxRowsPerStatement(100)
                        .build(),
                () -> {
                    try (java.sql.Connection connection = guarded.getConnection();
                            java.sql.Statement statement = connection.createStatement()) {
                        statement.executeUpdate("CREATE TABLE invoice_archive (id BIGINT PRIMARY KEY)");
                        statement.executeUpdate("MERGE INTO invoice_archive a USING invoices i ON (a.id = i.id)"
                                + " WHEN NOT MATCHED AND i.id <= 10 THEN INSERT (id) VALUES (i.id)");
                    }
                });
        assertThat(report.notPreflighted()).as(report.summary()).hasSize(1);

        String page = get("/run", false, "id", report.runId()).body();

        assertThat(page).contains("Counted before it ran", "MERGE INTO invoice_archive", "class=\"preflight\">no: ");
    }
}
