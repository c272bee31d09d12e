package dev.jobguard.state;

import org.jspecify.annotations.Nullable;

/** The detail every store writes on a run it marks {@link dev.jobguard.RunOutcome#ABANDONED}. */
final class AbandonedRuns {

    static final String BEFORE_NODE = "node ";
    static final String AFTER_NODE = " did not record the end of the run (it stopped or lost the state store)";
    static final String UNKNOWN_NODE = "(unknown)";

    private AbandonedRuns() {}

    /** E.g. {@code node web-2 did not record the end of the run (...)}. */
    static String detail(@Nullable String node) {
        return BEFORE_NODE + (node == null ? UNKNOWN_NODE : node) + AFTER_NODE;
    }
}
