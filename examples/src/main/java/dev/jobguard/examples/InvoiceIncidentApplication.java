package dev.jobguard.examples;

import java.util.Arrays;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The invoice incident of DESIGN.md as a Spring Boot application on an embedded H2 file database: 10,000 invoices,
 * about 200 overdue by more than 30 days, and a {@code @Scheduled} {@code @GuardedJob} whose buggy release would cancel
 * every open invoice.
 *
 * <ul>
 *   <li>No arguments: {@link Story} tells the incident on the console, checks every figure it tells, and the
 *       application exits (non-zero when a figure is not as told).
 *   <li>{@code --serve}: the scheduler ticks every 10 s with the buggy release; the actuator endpoint {@code jobguard}
 *       listens on 127.0.0.1:8080 and the CLI can connect to the database, to stop and mend the job by hand.
 * </ul>
 */
@SpringBootApplication
public class InvoiceIncidentApplication {

    static final String SERVE = "--serve";

    public static void main(String[] args) {
        boolean serve = Arrays.asList(args).contains(SERVE);
        SpringApplication application = new SpringApplication(InvoiceIncidentApplication.class);
        application.setWebApplicationType(serve ? WebApplicationType.SERVLET : WebApplicationType.NONE);
        // --serve: the operator console too, with actions (no login: the example listens on 127.0.0.1 only)
        application.setDefaultProperties(Map.of(
                "invoices.serve", Boolean.toString(serve),
                "jobguard.console.enabled", Boolean.toString(serve),
                "jobguard.console.actions-enabled", Boolean.toString(serve)));
        ConfigurableApplicationContext context = application.run(args);
        if (!serve) {
            SpringApplication.exit(context);
        }
    }

    /** The scheduler ticks only with {@code --serve}: the story calls the job itself, step by step. */
    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    @ConditionalOnProperty(name = "invoices.serve", havingValue = "true")
    static class Scheduling {}
}
