package dev.jobguard.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobguard.console.Browser;
import dev.jobguard.console.InvoiceIncident;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;
import picocli.CommandLine;

/**
 * The standalone console ({@code jobguard console}) on the invoice incident, in headless Chromium: what an operator
 * sees and does, asserted in the database.
 */
class StandaloneConsoleBrowserTest {

    private static final Pattern URL = Pattern.compile("jobguard console: (http://\\S+)");
    private static final Pattern TOKEN = Pattern.compile("one-time token: (\\S+)");

    /** The database the console reads: its URL and user, and the data source the incident is staged in. */
    protected String jdbcUrl;

    protected String user;
    private InvoiceIncident incident;
    private WebDriver browser;
    private Thread console;

    @BeforeEach
    void stageTheIncident() throws Exception {
        incident = InvoiceIncident.stage(emptyDatabase());
        browser = Browser.open();
    }

    /** An empty in-memory H2 database; a subclass stages the incident in another database. */
    protected DataSource emptyDatabase() throws Exception {
        jdbcUrl = "jdbc:h2:mem:console-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        user = "sa";
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(jdbcUrl);
        h2.setUser(user);
        return h2;
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (browser != null) {
            browser.quit();
        }
        if (console != null) {
            console.interrupt();
            console.join(10_000);
        }
    }

    /** Starts {@code jobguard console} in this JVM; returns its URL and (with actions) its token. */
    private String[] startConsole(String... options) throws InterruptedException {
        StringWriter out = new StringWriter();
        List<String> args = new java.util.ArrayList<>(
                List.of("--jdbc-url", jdbcUrl, "--user", user, "console", "--port", "0", "--by", "ops-alice"));
        args.addAll(List.of(options));
        CommandLine cli = JobguardCli.commandLine(name -> null);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(out, true));
        console = new Thread(() -> cli.execute(args.toArray(String[]::new)), "console-under-test");
        console.start();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            String printed = out.toString();
            Matcher url = URL.matcher(printed);
            if (url.find() && printed.contains("Stop with Ctrl-C.")) {
                Matcher token = TOKEN.matcher(printed);
                return new String[] {url.group(1), token.find() ? token.group(1) : null};
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the console did not start: " + out);
    }

    @Test
    void theOperatorSeesTheIncidentEnablesWithAReasonPreviewsARevertAndRevertsWithTheToken() throws Exception {
        String[] started = startConsole("--allow-actions");
        String url = started[0];
        String token = started[1];
        assertThat(token).isNotBlank();

        browser.get(url);
        WebElement job = row(InvoiceIncident.JOB);
        assertThat(job.findElement(By.className("state")).getText()).isEqualTo("DISABLED");
        assertThat(job.findElement(By.className("reason")).getText())
                .contains("tripped in run " + incident.trippedRunId, "maxRowsChanged=500");
        WebElement hostile = row(InvoiceIncident.HOSTILE_JOB);
        assertThat(hostile.findElement(By.tagName("a")).getText()).isEqualTo(InvoiceIncident.HOSTILE_JOB);
        assertThat(hostile.findElement(By.className("reason")).getText()).isEqualTo("a name that is HTML <b>bold</b>");
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);
        if (getClass() == StandaloneConsoleBrowserTest.class) { // the README's screenshot, taken once
            Browser.screenshot(browser, Path.of("..", "docs", "console.png"));
        }

        job.findElement(By.tagName("a")).click();
        assertThat(browser.findElement(By.id("state")).getText()).contains("DISABLED", "tripped in run");
        assertThat(browser.findElement(By.tagName("svg")).getAttribute("aria-label"))
                .isEqualTo("rows changed per run");
        assertThat(browser.findElement(By.id("actions")).getText()).contains("TRIPPED", "jobguard@node-a");

        browser.get(url + "run?id=" + incident.trippedRunId);
        assertThat(browser.findElement(By.id("trip-statement")).getText())
                .contains("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND due_date < ?");
        assertThat(browser.findElement(By.id("trip")).getText()).contains("Limit 500");

        browser.get(url + "run?id=" + incident.cancelRunId);
        assertThat(browser.findElement(By.id("statements")).getText())
                .contains("UPDATE invoices SET status = 'CANCELLED' WHERE status = 'OPEN' AND due_date < ?", "200");
        WebElement journal = browser.findElement(By.id("journal"));
        assertThat(journal.findElements(By.cssSelector("tr.UPDATE.changed")))
                .as("one changed column (status) per row on the first page")
                .hasSize(50);
        assertThat(journal.findElement(By.cssSelector("tr.UPDATE.changed")).getText())
                .containsIgnoringCase("status")
                .contains("\"OPEN\"", "\"CANCELLED\"");
        assertThat(browser.findElements(By.id("next-page"))).hasSize(1);

        // an action without the token is refused and changes nothing
        browser.get(url + "job?name=" + InvoiceIncident.JOB);
        act("enable", "fixed in 1.2.1", "not-the-token");
        assertThat(browser.findElement(By.id("refused")).getText()).contains("token");
        assertThat(incident.jobRow(InvoiceIncident.JOB)[0]).isEqualTo("DISABLED");

        browser.get(url + "job?name=" + InvoiceIncident.JOB);
        new Select(browser.findElement(By.id("enable")).findElement(By.name("mode"))).selectByValue("dry-run");
        act("enable", "fixed in 1.2.1, try it dry", token);
        assertThat(incident.jobRow(InvoiceIncident.JOB))
                .containsExactly("ENABLED", "fixed in 1.2.1, try it dry", "ops-alice", "DRY_RUN");
        assertThat(browser.findElement(By.id("state")).getText()).contains("ENABLED", "DRY_RUN");

        browser.get(url + "run?id=" + incident.cancelRunId);
        act("revert-preview", "INC-7: what would a revert do", token);
        assertThat(browser.findElement(By.id("conflicts")).getText())
                .contains("invoices", "PAID")
                .containsIgnoringCase("{\"id\":1}");
        assertThat(incident.count("CANCELLED")).as("a preview changes nothing").isEqualTo(InvoiceIncident.OVERDUE - 1);

        browser.get(url + "run?id=" + incident.cancelRunId);
        browser.findElement(By.id("revert")).findElement(By.name("force")).click();
        act("revert", "INC-7: put the 200 back", token);
        assertThat(browser.findElement(By.id("revert-summary")).getText()).contains("199");
        assertThat(incident.count("OPEN")).isEqualTo(InvoiceIncident.INVOICES - 1);
        assertThat(incident.status(incident.changedSince))
                .as("the invoice changed since the run is left alone")
                .isEqualTo("PAID");
        assertThat(incident.count("CANCELLED")).isZero();
        assertThat(incident.guard.history(InvoiceIncident.JOB, 5).get(0).actor())
                .isEqualTo("ops-alice");
    }

    @Test
    void withoutAllowActionsTheConsoleIsReadOnlyAndAForgedPostChangesNothing() throws Exception {
        String url = startConsole()[0];

        browser.get(url + "job?name=" + InvoiceIncident.JOB);
        assertThat(browser.findElement(By.id("read-only")).getText()).contains("Read-only");
        assertThat(browser.findElements(By.tagName("form"))).isEmpty();

        HttpResponse<String> forged = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(url + "action"))
                                .header("Content-Type", "application/x-www-form-urlencoded")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "action=enable&job=" + InvoiceIncident.JOB + "&reason=x&csrf=guess"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());

        assertThat(forged.statusCode()).isEqualTo(403);
        assertThat(forged.body()).contains("read-only");
        assertThat(incident.jobRow(InvoiceIncident.JOB)[0]).isEqualTo("DISABLED");
    }

    private WebElement row(String job) {
        return Browser.row(browser, job);
    }

    private void act(String formId, String reason, String token) {
        Browser.act(browser, formId, reason, token);
    }
}
