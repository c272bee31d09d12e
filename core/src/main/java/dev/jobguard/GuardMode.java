package dev.jobguard;

/** How a guarded run treats its limits and its writes. */
public enum GuardMode {
    /** Limits abort the run and roll it back. The default. */
    ENFORCE,
    /** Writes are kept; what would have tripped is reported, nothing is aborted. */
    OBSERVE,
    /** The job runs for real, then every write is rolled back; the report says what would have changed. */
    DRY_RUN
}
