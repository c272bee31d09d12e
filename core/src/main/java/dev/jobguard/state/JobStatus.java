package dev.jobguard.state;

/** Whether a job may run. */
public enum JobStatus {
    ENABLED,
    DISABLED
}
