package it.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.jobguard.JobGuard;
import dev.jobguard.state.JobStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

/** On Spring Boot 3.5, with the starter only: the job trips on H2, is disabled, and the actuator shows it. */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class GuardedJobTripsTest {

    @Autowired
    JobGuard guard;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    Environment environment;

    @Autowired
    ApplicationContext context;

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aSystemPropertyNamedLikeAMavenVersionPropertyDoesNotStopTheApplication() {
        // mvn verify -Djobguard.version=... (the invoker passes it): this context started all the same
        assertThat(System.getProperty("jobguard.version")).isNotBlank();
        assertThat(environment.getProperty("jobguard.version")).isNotBlank();
    }

    @Test
    void theScheduledJobTripsIsDisabledAndTheActuatorShowsIt() throws Exception {
        assertThat(SpringBootVersion.getVersion()).startsWith("3.5.");

        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (guard.state(CancelInvoicesJob.JOB).job().status() != JobStatus.DISABLED) {
            assertThat(Instant.now()).as("the job is disabled within 60 s").isBefore(deadline);
            Thread.sleep(200);
        }
        // the tripped run was rolled back
        assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM invoices WHERE status = 'OPEN'", Integer.class))
                .isEqualTo(100);

        HttpResponse<String> endpoint = get("/actuator/jobguard/" + CancelInvoicesJob.JOB);
        assertThat(endpoint.statusCode()).isEqualTo(200);
        assertThat(endpoint.body()).contains("DISABLED").contains("TRIPPED");

        HttpResponse<String> health = get("/actuator/health/jobguard");
        assertThat(health.statusCode()).isEqualTo(200);
        assertThat(health.body()).contains("\"UP\"").contains(CancelInvoicesJob.JOB);
        // the health contributor of this Boot line, picked at run time from the starter's two
        assertThat(context.getBean("jobguardHealthIndicator").getClass().getName())
                .startsWith("dev.jobguard.spring.boot3.");
    }

    private HttpResponse<String> get(String path) throws Exception {
        URI uri = URI.create("http://localhost:" + environment.getProperty("local.server.port") + path);
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
