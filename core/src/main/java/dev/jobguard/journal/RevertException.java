package dev.jobguard.journal;

import org.jspecify.annotations.Nullable;

/** A revert that could not start or could not finish; nothing of it was applied. */
public class RevertException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Why the revert did not happen. */
    public enum Reason {
        /** The run has no journal (journal off, purged, or an unknown run id). */
        NO_JOURNAL,
        /** The run was reverted already, or is itself a revert. */
        REFUSED,
        /** Applying the revert failed; everything was rolled back. */
        FAILED
    }

    private final Reason reason;

    public RevertException(Reason reason, String message, @Nullable Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
