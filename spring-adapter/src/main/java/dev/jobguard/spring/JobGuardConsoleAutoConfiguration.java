package dev.jobguard.spring;

import dev.jobguard.GuardMode;
import dev.jobguard.JobGuard;
import dev.jobguard.RunRequest;
import dev.jobguard.console.Console;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.util.ClassUtils;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

/**
 * The operator console at {@code jobguard.console.path} (default {@code /jobguard}) of a Spring MVC application, when
 * {@code jobguard.console.enabled=true}: behind the application's Spring Security when present (a user with {@code
 * jobguard.console.action-role} may act, others read), else read-only unless {@code jobguard.console.actions-enabled}.
 */
@AutoConfiguration(after = JobGuardAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(name = "org.springframework.web.servlet.handler.SimpleUrlHandlerMapping")
@ConditionalOnProperty(prefix = "jobguard.console", name = "enabled", havingValue = "true")
@ConditionalOnBean(JobGuard.class)
class JobGuardConsoleAutoConfiguration {

    private static final Logger log = LoggerFactory.getLogger(JobGuardConsoleAutoConfiguration.class);

    static final String SPRING_SECURITY = "org.springframework.security.web.SecurityFilterChain";

    @Bean
    SimpleUrlHandlerMapping jobGuardConsoleMapping(
            JobGuard guard, JobGuardProperties properties, ObjectProvider<GuardedJobRunner> runner) {
        JobGuardProperties.Console settings = properties.getConsole();
        Console console;
        try {
            Console.Builder builder = Console.builder(guard).basePath(settings.getPath());
            runner.ifAvailable(jobs -> builder.dryRunNow((job, actor, reason) -> {
                try {
                    return jobs.start(job, RunRequest.of(GuardMode.DRY_RUN, actor, "console (" + reason + ")"));
                } catch (GuardedJobRunner.Refused refused) {
                    throw new IllegalArgumentException(refused.getMessage(), refused);
                }
            }));
            console = builder.build();
        } catch (IllegalArgumentException | NullPointerException invalid) {
            throw new IllegalArgumentException("jobguard: invalid jobguard.console.path ('" + settings.getPath()
                    + "'): use a path such as /jobguard (letters, digits, '.', '_', '~', '-' and '/')");
        }
        boolean springSecurity =
                ClassUtils.isPresent(SPRING_SECURITY, getClass().getClassLoader());
        String role =
                settings.getActionRole() == null ? "" : settings.getActionRole().strip();
        if (springSecurity && role.isEmpty()) {
            throw new IllegalArgumentException("jobguard: jobguard.console.action-role is empty: with Spring Security"
                    + " the console needs the role a user must have to act, e.g. JOBGUARD_OPERATOR");
        }
        if (springSecurity && settings.isActionsEnabled()) {
            log.warn(
                    "jobguard: jobguard.console.actions-enabled is ignored: with Spring Security, users with role {}"
                            + " (jobguard.console.action-role) may act and others read",
                    role);
        }
        String path = console.basePath();
        log.info(
                "jobguard: operator console at {}/ ({})",
                path,
                springSecurity
                        ? "actions for role " + role
                        : settings.isActionsEnabled() ? "actions enabled, no login" : "read-only");
        ConsoleRequestHandler handler = new ConsoleRequestHandler(
                console, springSecurity, settings.isActionsEnabled(), role.replaceFirst("^ROLE_", ""));
        SimpleUrlHandlerMapping mapping = new SimpleUrlHandlerMapping(
                path.isEmpty()
                        ? Map.of("/**", handler)
                        : Map.of(path, handler, path + "/", handler, path + "/**", handler));
        mapping.setOrder(Ordered.HIGHEST_PRECEDENCE + 10);
        return mapping;
    }
}
