package dev.jobguard.spring;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Fails the start on a {@code jobguard.*} property that Boot's binding leaves unbound: a misspelt key (its setting
 * would silently keep its default, e.g. no limit), a key without a value, or a job name with dots written without
 * brackets.
 *
 * <p>An unknown <em>top-level</em> key that comes from the system properties or the environment ({@code
 * -Djobguard.version=...}, the usual way to try another version of a dependency in a Maven build) logs one warning
 * instead: it names no setting of jobguard. A misspelt key under a known group ({@code jobguard.jobs.*}, {@code
 * jobguard.health.*}, ...) from the system properties still fails the start. Other environment variables are not
 * checked: {@code JOBGUARD_*} ones also serve the CLI, whose own variables are not warned of either.
 */
final class UnknownProperties {

    /** The keys of one job, as the message lists them. */
    static final String JOB_KEYS = "mode, max-rows-changed, max-rows-per-statement, tables.<table>, atomic,"
            + " allow-truncate, trip-on-unknown-row-count, preflight, anomaly.enabled, anomaly.factor, anomaly.min-rows,"
            + " anomaly.history, anomaly.min-runs, max-consecutive-failures, max-duration, trip-on-max-duration,"
            + " lock-at-most-for, journal, trip-on-journal-gap, auto-revert";

    private static final ConfigurationPropertyName JOBS = ConfigurationPropertyName.of("jobguard.jobs");

    private static final Logger log = LoggerFactory.getLogger(UnknownProperties.class);

    /** The top-level keys of {@link JobGuardProperties}, in Boot's uniform form (lower case, no dashes). */
    private static final Set<String> TOP_LEVEL_KEYS = topLevelKeys();

    /** The CLI's environment variables ({@code JOBGUARD_JDBC_URL}, ...), as Boot reads them. */
    private static final Set<String> CLI_VARIABLES =
            Set.of("jobguard.jdbc.url", "jobguard.user", "jobguard.password", "jobguard.table.prefix");

    private UnknownProperties() {}

    /** @throws IllegalStateException naming each unbound property, its job, and what to write instead */
    static void check(Environment environment) {
        try {
            Binder.get(environment)
                    .bind(
                            "jobguard",
                            Bindable.ofInstance(new JobGuardProperties()),
                            new NoUnboundElementsBindHandler(BindHandler.DEFAULT, source -> true));
        } catch (BindException failure) {
            if (!(failure.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
                throw failure;
            }
            List<String> problems = new ArrayList<>();
            List<String> ignored = new ArrayList<>();
            unbound.getUnboundProperties().stream()
                    .sorted(Comparator.comparing(property -> property.getName().toString()))
                    .forEach(property -> {
                        boolean environmentVariable = fromEnvironment(property);
                        boolean outside = environmentVariable || fromSystemProperties(property);
                        if (outside && !TOP_LEVEL_KEYS.contains(topLevelKey(property.getName()))) {
                            if (!(environmentVariable
                                    && CLI_VARIABLES.contains(property.getName().toString()))) {
                                ignored.add(property.getName() + origin(property));
                            }
                        } else if (!environmentVariable) {
                            problems.add(describe(property));
                        }
                    });
            if (!problems.isEmpty()) {
                throw new IllegalStateException(String.join("; ", problems));
            }
            if (!ignored.isEmpty()) {
                log.warn(
                        "jobguard: ignoring {} from the system properties or the environment: not jobguard"
                                + " properties (the jobguard.* properties are listed in the README)",
                        String.join(", ", ignored));
            }
        }
    }

    private static boolean fromEnvironment(ConfigurationProperty property) {
        return property.getSource() != null
                && property.getSource().getUnderlyingSource() instanceof SystemEnvironmentPropertySource;
    }

    private static boolean fromSystemProperties(ConfigurationProperty property) {
        return property.getSource() != null
                && property.getSource().getUnderlyingSource() instanceof PropertySource<?> source
                && StandardEnvironment.SYSTEM_PROPERTIES_PROPERTY_SOURCE_NAME.equals(source.getName());
    }

    private static String topLevelKey(ConfigurationPropertyName name) {
        return name.getNumberOfElements() < 2 ? "" : name.getElement(1, ConfigurationPropertyName.Form.UNIFORM);
    }

    private static String origin(ConfigurationProperty property) {
        return property.getOrigin() == null ? "" : " (" + property.getOrigin() + ")";
    }

    private static Set<String> topLevelKeys() {
        Set<String> keys = new HashSet<>();
        for (Method method : JobGuardProperties.class.getMethods()) {
            String name = method.getName();
            if (method.getDeclaringClass() == JobGuardProperties.class && method.getParameterCount() == 0) {
                if (name.startsWith("get") && name.length() > 3) {
                    keys.add(name.substring(3).toLowerCase(Locale.ROOT));
                } else if (name.startsWith("is") && name.length() > 2) {
                    keys.add(name.substring(2).toLowerCase(Locale.ROOT));
                }
            }
        }
        return Set.copyOf(keys);
    }

    private static String describe(ConfigurationProperty property) {
        ConfigurationPropertyName name = property.getName();
        String origin = origin(property);
        Object value = property.getValue();
        boolean blank = value == null || value.toString().isBlank();
        if (JOBS.isAncestorOf(name) && name.getNumberOfElements() > 3) {
            String job = name.getElement(2, ConfigurationPropertyName.Form.ORIGINAL);
            return "jobguard: job '" + job + "': " + name
                    + (blank
                            ? " has no value" + origin + ": give it one, or remove it to keep the @GuardedJob value"
                            : " is not a jobguard property" + origin + ": the keys of a job are " + JOB_KEYS
                                    + " (a job name with dots goes in brackets: jobguard.jobs[my.job].mode)");
        }
        return "jobguard: " + name
                + (blank
                        ? " has no value" + origin + ": give it one, or remove it to keep the default"
                        : " is not a jobguard property" + origin + ": see the jobguard.* properties in the README (a"
                                + " per-job setting goes under jobguard.jobs.<job-name>.)");
    }
}
