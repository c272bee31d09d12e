package dev.jobguard.spring;

import dev.jobguard.JobGuard;
import dev.jobguard.state.JobState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * What the health contributor reports, shared by the health indicators of {@code jobguard-spring-boot4} and {@code
 * jobguard-spring-boot3} (each compiled against its Spring Boot line). Internal: not part of jobguard's API.
 *
 * @param globallyDisabled whether the global switch is off
 * @param jobs the disabled jobs, by name
 * @param error why the state could not be read, or {@code null}
 */
public record DisabledJobs(boolean globallyDisabled, Map<String, Object> jobs, String error) {

    /**
     * @param guard the application's guard
     * @return the disabled jobs and the global switch, as the state store has them now
     */
    public static DisabledJobs read(JobGuard guard) {
        try {
            JobState global = guard.state(JobState.GLOBAL).global();
            Map<String, Object> disabled = new LinkedHashMap<>();
            for (JobState state : guard.jobs()) {
                if (state.isDisabled() && !JobState.GLOBAL.equals(state.job())) {
                    disabled.put(state.job(), JobGuardEndpoint.state(state));
                }
            }
            return new DisabledJobs(global.isDisabled(), disabled, null);
        } catch (RuntimeException unreadable) {
            return new DisabledJobs(
                    false, Map.of(), "state store unreadable (guarded jobs are skipped): " + unreadable);
        }
    }

    /** Health statuses Boot's aggregate knows without {@code management.endpoint.health.status.order}. */
    private static final List<String> BOOT_STATUSES = List.of("DOWN", "OUT_OF_SERVICE", "UP", "UNKNOWN");

    /**
     * The status code {@code jobguard.health.disabled-status} names ({@code out-of-service} reads as
     * {@code OUT_OF_SERVICE}).
     *
     * @throws IllegalStateException when it is blank, or a status the application's health aggregate would ignore
     *     (neither Boot's nor in {@code management.endpoint.health.status.order}): the application would stay UP
     * @param configured {@code jobguard.health.disabled-status}
     * @param environment where the health status order is read
     * @return the status code to report while a job is disabled
     */
    public static String statusCode(String configured, Environment environment) {
        String code = configured == null
                ? ""
                : configured.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        List<String> order = Binder.get(environment)
                .bind("management.endpoint.health.status.order", Bindable.listOf(String.class))
                .orElse(List.of());
        boolean known = BOOT_STATUSES.contains(code)
                || order.stream().anyMatch(custom -> uniform(custom).equals(uniform(code)));
        if (code.isEmpty() || !known) {
            throw new IllegalStateException("jobguard: invalid jobguard.health.disabled-status ('" + configured
                    + "'): use UP, OUT_OF_SERVICE or DOWN; a custom status must also be listed in"
                    + " management.endpoint.health.status.order, else the application's health ignores it");
        }
        return code;
    }

    /** A status code as Boot's aggregate compares them: letters and digits only, upper case. */
    private static String uniform(String code) {
        return code.replaceAll("[^A-Za-z0-9]", "").toUpperCase(Locale.ROOT);
    }

    /** @return whether a job is disabled, the global switch is off, or the state could not be read */
    public boolean anyDisabled() {
        return globallyDisabled || !jobs.isEmpty() || error != null;
    }

    /** @return the health details: {@code globallyDisabled}, {@code disabledJobs}, {@code error} */
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("globallyDisabled", globallyDisabled);
        details.put("disabledJobs", jobs);
        if (error != null) {
            details.put("error", error);
        }
        return details;
    }
}
