package dev.jobguard.journal;

import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How a revert runs. Immutable; start from {@link #DEFAULTS}.
 *
 * @param dryRun do everything, then roll it back: the report tells what the revert would do
 * @param force revert the rows without conflicts even when others have conflicts (those are never overwritten)
 * @param actor who reverts, recorded with the revert
 * @param reason why, recorded with the revert; may be null
 */
public record RevertOptions(
        boolean dryRun,
        boolean force,
        String actor,
        @Nullable String reason) {

    public static final String DEFAULT_ACTOR = "jobguard";
    public static final RevertOptions DEFAULTS = new RevertOptions(false, false, DEFAULT_ACTOR, null);

    public RevertOptions {
        Objects.requireNonNull(actor, "actor");
        if (actor.isBlank()) {
            throw new IllegalArgumentException("jobguard: a revert needs an actor: pass a non-blank name");
        }
    }

    public RevertOptions withDryRun(boolean dryRun) {
        return new RevertOptions(dryRun, force, actor, reason);
    }

    public RevertOptions withForce(boolean force) {
        return new RevertOptions(dryRun, force, actor, reason);
    }

    public RevertOptions withActor(String actor) {
        return new RevertOptions(dryRun, force, actor, reason);
    }

    public RevertOptions withReason(String reason) {
        return new RevertOptions(dryRun, force, actor, reason);
    }
}
