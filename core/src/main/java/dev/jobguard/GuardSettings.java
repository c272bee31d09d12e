package dev.jobguard;

import dev.jobguard.internal.run.TablePatterns;
import java.time.Duration;

/**
 * What this node's guard was built with, for its runs.
 *
 * @param node the name this node records on its runs and trips
 * @param enabled false when the guard is switched off on this node (every guarded job is skipped)
 * @param abandonAfter how long a run may stay RUNNING before another run of the job marks it ABANDONED
 * @param sandboxLockTimeout the longest a connection of a dry or atomic run waits for a lock
 * @param ignoredTables tables never counted nor rolled back
 */
record GuardSettings(
        String node, boolean enabled, Duration abandonAfter, Duration sandboxLockTimeout, TablePatterns ignoredTables) {

    /** Who the guard's own actions (a trip's disable, an auto-revert) are recorded as done by. */
    String actor() {
        return "jobguard@" + node;
    }
}
