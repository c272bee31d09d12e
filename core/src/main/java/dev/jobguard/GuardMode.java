package dev.jobguard;

import java.util.Locale;

/** How a guarded run treats its limits and its writes. */
public enum GuardMode {
    /** Limits abort the run and roll it back. The default. */
    ENFORCE,
    /** Writes are kept; what would have tripped is reported, nothing is aborted. */
    OBSERVE,
    /** The job runs for real, then every write is rolled back; the report says what would have changed. */
    DRY_RUN;

    /**
     * Reads a mode as users write it in properties, JobDataMaps and the CLI: {@code enforce}, {@code observe} or
     * {@code dry-run}, in any case, with {@code -} or {@code _}.
     *
     * @throws IllegalArgumentException when the text names no mode
     */
    public static GuardMode parse(String text) {
        String normalized =
                text == null ? "" : text.strip().toUpperCase(Locale.ROOT).replace('-', '_');
        for (GuardMode mode : values()) {
            if (mode.name().equals(normalized)) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a mode: use enforce, observe or dry-run");
    }
}
