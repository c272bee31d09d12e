package dev.jobguard;

/** The body of a guarded job. */
@FunctionalInterface
public interface GuardedTask {
    void run() throws Exception;
}
