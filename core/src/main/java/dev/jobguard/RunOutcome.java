package dev.jobguard;

/** How a guarded run ended. */
public enum RunOutcome {
    /** The job completed within its limits. */
    SUCCEEDED,
    /** The job threw, or its writes could not be completed; no limit was crossed. */
    FAILED,
    /** A limit was crossed; the run's writes over the limit were rolled back. */
    TRIPPED,
    /** The job did not run (disabled, switched off, locked elsewhere, or state unreadable). */
    SKIPPED,
    /** Only in stored runs: the run's node never recorded its end (it died); set after a time-out. */
    ABANDONED
}
