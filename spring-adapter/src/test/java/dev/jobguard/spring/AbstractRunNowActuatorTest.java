package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.jobguard.GuardMode;
import dev.jobguard.JobGuard;
import dev.jobguard.RunOutcome;
import dev.jobguard.state.RunRecord;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.env.Environment;

/**
 * Run now through the real actuator HTTP endpoint ({@code POST /actuator/jobguard/{job}} with {@code
 * {"action":"run"}}): the job is called through its bean, under the state checks of a scheduled run, in the mode
 * asked for; the answer is the run's report, or 202 with its id when the run outlasts {@code jobguard.run-now.timeout}.
 */
@SpringBootTest(
        classes = RunNowApp.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
            "jobguard.state-store.table-prefix=jgrunnow_",
            "jobguard.node-name=run-now-it",
            "jobguard.run-now.timeout=500ms",
            "management.endpoints.web.exposure.include=jobguard"
        })
abstract class AbstractRunNowActuatorTest {

    private static final Pattern RUN_ID = Pattern.compile("\"runId\":\"([^\"]+)\"");

    @Autowired
    JobGuard guard;

    @Autowired
    RunNowApp.Invoices invoices;

    @Autowired
    RunNowApp.Jobs jobs;

    @Autowired
    Environment environment;

    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void openInvoicesAndEnabledJobs() {
        invoices.reset();
        for (String job : List.of(RunNowApp.CANCEL, RunNowApp.SLOW)) {
            if (guard.state(job).job().isDisabled()) {
                guard.enable(job, "next test", "test");
            }
        }
        jobs.takeExecutions();
    }

    @AfterEach
    void releaseTheSlowJob() {
        jobs.releaseSlowJob();
    }

    @Test
    void aDryRunNowLeavesEveryRowAsItWasAndAnswersWithTheRowsItWouldHaveChanged() throws Exception {
        List<String> before = invoices.snapshot();

        HttpResponse<String> answer =
                post(RunNowApp.CANCEL, "{\"action\":\"run\",\"mode\":\"dry-run\",\"reason\":\"try the fix\"}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body())
                .contains("\"outcome\":\"SUCCEEDED\"")
                .contains("\"mode\":\"DRY_RUN\"")
                .contains("\"rowsChanged\":" + RunNowApp.INVOICES)
                .contains("\"rowsCommitted\":0")
                .contains("\"runnow_invoices\":{\"UPDATE\":" + RunNowApp.INVOICES + "}")
                .contains("run now by actuator via actuator (try the fix), asked for DRY_RUN")
                .contains("\"statements\":[{\"sql\":\"UPDATE runnow_invoices")
                .contains("\"notPreflighted\":[]");
        assertThat(jobs.takeExecutions()).as("the job ran for real").isEqualTo(1);
        assertThat(invoices.snapshot()).isEqualTo(before);
        RunRecord record = guard.run(runId(answer)).orElseThrow();
        assertThat(record.mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(record.outcome()).isEqualTo(RunOutcome.SUCCEEDED);
        assertThat(record.rowsChanged("runnow_invoices")).isEqualTo(RunNowApp.INVOICES);
        assertThat(record.detail()).contains("run now by actuator");
    }

    @Test
    void aRunNowOfADisabledJobIsSkippedAndChangesNothing() throws Exception {
        List<String> before = invoices.snapshot();
        guard.disable(RunNowApp.CANCEL, "INC-12", "bob");

        HttpResponse<String> answer = post(RunNowApp.CANCEL, "{\"action\":\"run\",\"mode\":\"dry-run\"}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.body()).contains("\"outcome\":\"SKIPPED\"").contains("the job is DISABLED", "INC-12");
        assertThat(jobs.takeExecutions()).isZero();
        assertThat(invoices.snapshot()).isEqualTo(before);
        assertThat(guard.run(runId(answer)).orElseThrow().outcome()).isEqualTo(RunOutcome.SKIPPED);
    }

    @Test
    void aSlowRunAnswers202WithItsIdAndItsRecordAppearsWhenItEnds() throws Exception {
        jobs.holdSlowJob();

        long start = System.nanoTime();
        HttpResponse<String> answer = post(RunNowApp.SLOW, "{\"action\":\"run\",\"mode\":\"dry-run\"}");

        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(202);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(10));
        assertThat(answer.body()).contains("\"outcome\":\"RUNNING\"", "jobguard.run-now.timeout");
        String runId = runId(answer);
        HttpResponse<String> again = post(RunNowApp.SLOW, "{\"action\":\"run\",\"wait\":false}");
        assertThat(again.statusCode())
                .as("a second run now while the first is under way")
                .isEqualTo(409);
        assertThat(again.body()).contains(runId);

        jobs.releaseSlowJob();
        await().atMost(Duration.ofSeconds(20))
                .until(() -> guard.run(runId)
                        .map(run -> run.outcome() == RunOutcome.SUCCEEDED)
                        .orElse(false));
        assertThat(guard.run(runId).orElseThrow().mode()).isEqualTo(GuardMode.DRY_RUN);
        assertThat(invoices.snapshot()).allMatch(row -> row.endsWith("|OPEN"));

        HttpResponse<String> atOnce = post(RunNowApp.SLOW, "{\"action\":\"run\",\"mode\":\"dry-run\",\"wait\":false}");
        assertThat(atOnce.statusCode()).as(atOnce.body()).isEqualTo(202);
        String second = runId(atOnce);
        await().atMost(Duration.ofSeconds(20))
                .until(() -> guard.run(second).map(run -> run.outcome() != null).orElse(false));
    }

    @Test
    void aBadModeOrAJobThatCannotBeRunNowIsRefusedWithWhatToDo() throws Exception {
        HttpResponse<String> badMode = post(RunNowApp.CANCEL, "{\"action\":\"run\",\"mode\":\"yolo\"}");
        assertThat(badMode.statusCode()).isEqualTo(400);
        assertThat(badMode.body()).contains(RunNowApp.CANCEL, "mode", "yolo", "dry-run", "observe", "own mode");
        HttpResponse<String> enforce = post(RunNowApp.CANCEL, "{\"action\":\"run\",\"mode\":\"enforce\"}");
        assertThat(enforce.statusCode()).isEqualTo(400);
        assertThat(enforce.body()).contains(RunNowApp.CANCEL, "does not take mode 'enforce'", "own mode");

        HttpResponse<String> withArgument = post(RunNowApp.WITH_ARGUMENT, "{\"action\":\"run\"}");
        assertThat(withArgument.statusCode()).isEqualTo(400);
        assertThat(withArgument.body()).contains(RunNowApp.WITH_ARGUMENT, "parameter");

        assertThat(post("no-such-job", "{\"action\":\"run\"}").statusCode()).isEqualTo(404);
        guard.disable("known-only-from-the-store", "another application's job", "bob");
        HttpResponse<String> elsewhere = post("known-only-from-the-store", "{\"action\":\"run\"}");
        assertThat(elsewhere.statusCode()).isEqualTo(404);
        assertThat(elsewhere.body()).contains("known-only-from-the-store", "not a @GuardedJob method of a bean");

        assertThat(jobs.takeExecutions()).isZero();
        assertThat(invoices.snapshot()).allMatch(row -> row.endsWith("|OPEN"));
    }

    private static String runId(HttpResponse<String> answer) {
        Matcher matcher = RUN_ID.matcher(answer.body());
        assertThat(matcher.find()).as(answer.body()).isTrue();
        return matcher.group(1);
    }

    private HttpResponse<String> post(String job, String json) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + environment.getProperty("local.server.port")
                                + "/actuator/jobguard/" + job))
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
