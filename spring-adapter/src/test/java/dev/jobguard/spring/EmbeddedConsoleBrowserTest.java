package dev.jobguard.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.jobguard.annotation.GuardedJob;
import dev.jobguard.console.Browser;
import dev.jobguard.console.InvoiceIncident;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The console embedded in a Spring Boot application behind Spring Security, on the invoice incident, in headless
 * Chromium: an operator with the action role acts (asserted in the database), a user without it reads only and a
 * forged action is refused.
 */
class EmbeddedConsoleBrowserTest {

    private String jdbcUrl;
    private InvoiceIncident incident;
    private ConfigurableApplicationContext app;
    private WebDriver browser;
    private String base;

    /** An application with Spring Security: alice may act on jobguard, victor may only look. */
    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class SecuredApp {

        @Bean
        SecurityFilterChain login(HttpSecurity http) throws Exception {
            return http.authorizeHttpRequests(requests -> requests.anyRequest().authenticated())
                    .formLogin(Customizer.withDefaults())
                    .build();
        }

        @Bean
        RemindJob remindJob(JdbcTemplate jdbc) {
            return new RemindJob(jdbc);
        }

        @Bean
        InMemoryUserDetailsManager users() {
            return new InMemoryUserDetailsManager(
                    User.withUsername("alice")
                            .password("{noop}alice-secret")
                            .roles("JOBGUARD_OPERATOR")
                            .build(),
                    User.withUsername("victor")
                            .password("{noop}victor-secret")
                            .roles("VIEWER")
                            .build());
        }
    }

    /** The incident's job as this application holds it: what "run now in dry-run" calls, through its proxy. */
    public static class RemindJob {
        private final JdbcTemplate jdbc;

        RemindJob(JdbcTemplate jdbc) {
            this.jdbc = jdbc;
        }

        @GuardedJob(name = InvoiceIncident.JOB, maxRowsChanged = 500)
        public void remind() {
            jdbc.update(
                    "UPDATE invoices SET status = 'REMINDED' WHERE status = 'OPEN' AND due_date < ?",
                    java.sql.Date.valueOf(java.time.LocalDate.now().plusDays(7)));
        }
    }

    @BeforeEach
    void start() throws Exception {
        jdbcUrl = "jdbc:h2:mem:embedded-console-" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1";
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL(jdbcUrl);
        h2.setUser("sa");
        incident = InvoiceIncident.stage(h2);
        app = new SpringApplicationBuilder(SecuredApp.class)
                .properties(
                        "server.port=0",
                        "spring.datasource.url=" + jdbcUrl,
                        "spring.datasource.username=sa",
                        "jobguard.console.enabled=true")
                .run();
        String port = app.getEnvironment().getProperty("local.server.port");
        base = "http://127.0.0.1:" + port;
        browser = Browser.open();
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.close();
        }
    }

    private void logIn(String user, String password) {
        browser.get(base + "/login");
        browser.findElement(By.name("username")).sendKeys(user);
        browser.findElement(By.name("password")).sendKeys(password);
        browser.findElement(By.cssSelector("button[type=submit]")).click();
    }

    @Test
    void anOperatorWithTheRoleSeesTheIncidentEnablesPreviewsAndRevertsAsHimself() throws Exception {
        logIn("alice", "alice-secret");
        browser.get(base + "/jobguard/");

        WebElement job = row(InvoiceIncident.JOB);
        assertThat(job.findElement(By.className("state")).getText()).isEqualTo("DISABLED");
        assertThat(job.findElement(By.className("reason")).getText())
                .contains("tripped in run " + incident.trippedRunId);
        assertThat(row(InvoiceIncident.HOSTILE_JOB).findElement(By.tagName("a")).getText())
                .isEqualTo(InvoiceIncident.HOSTILE_JOB);
        assertThatThrownBy(() -> browser.switchTo().alert()).isInstanceOf(NoAlertPresentException.class);

        browser.get(base + "/jobguard/run?id=" + incident.trippedRunId);
        assertThat(browser.findElement(By.id("trip-statement")).getText())
                .contains("UPDATE invoices SET status = 'CANCELLED'");
        browser.get(base + "/jobguard/run?id=" + incident.cancelRunId);
        assertThat(browser.findElements(By.cssSelector("#journal tr.UPDATE.changed")))
                .hasSize(50);

        browser.get(base + "/jobguard/job?name=" + InvoiceIncident.JOB);
        Browser.screenshot(browser, Path.of("target", "embedded-console-job.png"));
        act("enable", "fixed in 1.2.1");
        assertThat(incident.jobRow(InvoiceIncident.JOB)).containsExactly("ENABLED", "fixed in 1.2.1", "alice", null);

        browser.get(base + "/jobguard/job?name=" + InvoiceIncident.JOB);
        act("run-now", "check the fix before it runs for real");
        assertThat(browser.findElement(By.id("summary")).getText()).contains("SUCCEEDED in DRY_RUN");
        assertThat(browser.findElement(By.id("tables")).getText()).contains("invoices", "UPDATE");
        assertThat(incident.count("REMINDED"))
                .as("a dry run leaves the database as it was")
                .isZero();
        assertThat(browser.findElement(By.id("summary")).getText()).doesNotContain(" 0 row(s) changed");

        browser.get(base + "/jobguard/run?id=" + incident.cancelRunId);
        act("revert-preview", "INC-7 preview");
        assertThat(browser.findElement(By.id("conflicts")).getText()).contains("PAID");
        assertThat(incident.count("CANCELLED")).isEqualTo(InvoiceIncident.OVERDUE - 1);

        browser.get(base + "/jobguard/run?id=" + incident.cancelRunId);
        browser.findElement(By.id("revert")).findElement(By.name("force")).click();
        act("revert", "INC-7 put them back");
        assertThat(incident.count("OPEN"))
                .as(browser.findElement(By.tagName("main")).getText())
                .isEqualTo(InvoiceIncident.INVOICES - 1);
        assertThat(incident.status(incident.changedSince)).isEqualTo("PAID");
        assertThat(incident.guard.history(InvoiceIncident.JOB, 1).get(0).actor())
                .isEqualTo("alice");
    }

    @Test
    void aUserWithoutTheRoleReadsOnlyAndAForgedActionIsRefused() throws Exception {
        logIn("victor", "victor-secret");
        browser.get(base + "/login");
        String csrf = browser.findElement(By.name("_csrf")).getAttribute("value");

        browser.get(base + "/jobguard/job?name=" + InvoiceIncident.JOB);
        assertThat(browser.findElement(By.id("read-only")).getText()).contains("victor");
        assertThat(browser.findElements(By.tagName("form"))).isEmpty();

        ((JavascriptExecutor) browser)
                .executeScript(
                        "const f = document.createElement('form'); f.method = 'post'; f.action = '/jobguard/action';"
                                + " for (const [k, v] of Object.entries({_csrf: arguments[0], action: 'enable',"
                                + " job: arguments[1], reason: 'forged'})) { const i = document.createElement('input');"
                                + " i.name = k; i.value = v; f.appendChild(i); } document.body.appendChild(f); f.submit();",
                        csrf,
                        InvoiceIncident.JOB);

        WebElement refused = new WebDriverWait(browser, Duration.ofSeconds(30))
                .until(ExpectedConditions.presenceOfElementLocated(By.id("refused")));
        assertThat(refused.getText()).contains("read-only");
        assertThat(incident.jobRow(InvoiceIncident.JOB)[0]).isEqualTo("DISABLED");
    }

    private WebElement row(String job) {
        return Browser.row(browser, job);
    }

    private void act(String formId, String reason) {
        Browser.act(browser, formId, reason, null);
    }
}
