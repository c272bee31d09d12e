package dev.jobguard.spring;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.BindHandler;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.bind.UnboundConfigurationPropertiesException;
import org.springframework.boot.context.properties.bind.handler.NoUnboundElementsBindHandler;
import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Fails the start on a {@code jobguard.*} property that Boot's binding leaves unbound: a misspelt key (its setting
 * would silently keep its default, e.g. no limit), a key without a value, or a job name with dots written without
 * brackets. Environment variables are not checked: {@code JOBGUARD_*} ones also serve the CLI.
 */
final class UnknownProperties {

    /** The keys of one job, as the message lists them. */
    static final String JOB_KEYS = "mode, max-rows-changed, max-rows-per-statement, tables.<table>, atomic,"
            + " allow-truncate, trip-on-unknown-row-count, preflight, anomaly.enabled, anomaly.factor, anomaly.min-rows,"
            + " anomaly.history, anomaly.min-runs, max-consecutive-failures, max-duration, trip-on-max-duration,"
            + " lock-at-most-for, journal, trip-on-journal-gap, auto-revert";

    private static final ConfigurationPropertyName JOBS = ConfigurationPropertyName.of("jobguard.jobs");

    private UnknownProperties() {}

    /** @throws IllegalStateException naming each unbound property, its job, and what to write instead */
    static void check(Environment environment) {
        try {
            Binder.get(environment)
                    .bind(
                            "jobguard",
                            Bindable.ofInstance(new JobGuardProperties()),
                            new NoUnboundElementsBindHandler(
                                    BindHandler.DEFAULT,
                                    source -> !(source.getUnderlyingSource()
                                            instanceof SystemEnvironmentPropertySource)));
        } catch (BindException failure) {
            if (!(failure.getCause() instanceof UnboundConfigurationPropertiesException unbound)) {
                throw failure;
            }
            List<String> problems = new ArrayList<>();
            unbound.getUnboundProperties().stream()
                    .sorted(Comparator.comparing(property -> property.getName().toString()))
                    .forEach(property -> problems.add(describe(property)));
            throw new IllegalStateException(String.join("; ", problems));
        }
    }

    private static String describe(ConfigurationProperty property) {
        ConfigurationPropertyName name = property.getName();
        String origin = property.getOrigin() == null ? "" : " (" + property.getOrigin() + ")";
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
