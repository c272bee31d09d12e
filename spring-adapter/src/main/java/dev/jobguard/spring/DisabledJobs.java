package dev.jobguard.spring;

import dev.jobguard.JobGuard;
import dev.jobguard.state.JobState;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the health contributor reports (shared by the Boot 4 and Boot 3 health indicators). */
record DisabledJobs(boolean globallyDisabled, Map<String, Object> jobs, String error) {

    static DisabledJobs read(JobGuard guard) {
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

    boolean anyDisabled() {
        return globallyDisabled || !jobs.isEmpty() || error != null;
    }

    Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("globallyDisabled", globallyDisabled);
        details.put("disabledJobs", jobs);
        if (error != null) {
            details.put("error", error);
        }
        return details;
    }
}
