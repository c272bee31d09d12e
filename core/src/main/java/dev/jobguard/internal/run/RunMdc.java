package dev.jobguard.internal.run;

import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;

/** The MDC keys {@code jobguard.job} and {@code jobguard.run} of a run, put for its log lines and restored after. */
public final class RunMdc {

    /** The MDC key of the job's name ({@code JobGuard.JOB}). */
    public static final String JOB = "jobguard.job";

    /** The MDC key of the run's id ({@code JobGuard.RUN}). */
    public static final String RUN = "jobguard.run";

    private RunMdc() {}

    /** Puts the run's keys until the returned scope is closed, which restores what they held before. */
    public static RunContext.Scope put(String job, String runId) {
        String previousJob = MDC.get(JOB);
        String previousRun = MDC.get(RUN);
        MDC.put(JOB, job);
        MDC.put(RUN, runId);
        return () -> {
            restore(JOB, previousJob);
            restore(RUN, previousRun);
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
