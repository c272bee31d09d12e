package dev.jobguard;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ids of this node's run-now runs under way: a second request with the same id is refused while one runs, and a
 * skip of one is recorded under its own id (the id its requester was given), never counted into an earlier skip.
 */
final class RequestedRuns {

    private final Set<String> underWay = ConcurrentHashMap.newKeySet();

    /** @throws IllegalArgumentException when a run with this id is under way on this node */
    void begin(String runId) {
        if (!underWay.add(runId)) {
            throw new IllegalArgumentException("jobguard: run id " + runId + " is already under way on this node");
        }
    }

    void end(String runId) {
        underWay.remove(runId);
    }

    boolean contains(String runId) {
        return underWay.contains(runId);
    }
}
