package dev.jobguard.internal.run;

import dev.jobguard.internal.journal.JournalTables;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * What a run takes from the guard that starts it, besides its policy and limits.
 *
 * @param ignoredTables tables the run never counts nor rolls back
 * @param journal where the run's change journal goes, used only when the policy asks for a journal; null for a
 *     journal that records but cannot be read back
 * @param sandboxLockTimeout the longest a connection of a dry or atomic run waits for a lock
 */
public record RunEnvironment(
        TablePatterns ignoredTables, @Nullable JournalTables journal, Duration sandboxLockTimeout) {}
