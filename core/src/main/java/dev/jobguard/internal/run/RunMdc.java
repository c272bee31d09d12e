package dev.jobguard.internal.run;

import static dev.jobguard.JobGuard.MDC_JOB;
import static dev.jobguard.JobGuard.MDC_RUN;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/** The MDC keys {@code jobguard.job} and {@code jobguard.run} of a run, put for its log lines and restored after. */
public final class RunMdc {

    private RunMdc() {}

    /** Puts the run's keys until the returned scope is closed, which restores what they held before. */
    public static RunContext.Scope put(String job, String runId) {
        String previousJob = MDC.get(MDC_JOB);
        String previousRun = MDC.get(MDC_RUN);
        MDC.put(MDC_JOB, job);
        MDC.put(MDC_RUN, runId);
        return () -> {
            restore(MDC_JOB, previousJob);
            restore(MDC_RUN, previousRun);
        };
    }

    private static void restore(String key, @Nullable String previous) {
        if (previous == null) {
            MDC.remove(key);
        } else {
            MDC.put(key, previous);
        }
    }
}
