package dev.jobguard.internal.journal;

import java.sql.Statement;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A write the journal captures before it runs ({@link ConnectionJournal#before(java.sql.Connection,
 * dev.jobguard.internal.run.RunContext, JournalWrite)}). Internal to jobguard (the guarded connection builds it).
 *
 * @param steps its executions: the statement, or a batch's entries
 * @param generatedKeys the statement asks the driver for the keys it generates (an INSERT's new rows' keys come from
 *     them)
 * @param job the job's statement, whose query timeout the journal's reads keep; null when unknown
 * @param mayExecute the caller takes its update count (or, for a batch, one per entry) from the journal: it may run
 *     the write (never when the job asked for generated keys)
 */
public record JournalWrite(
        List<JournalStep> steps,
        boolean generatedKeys,
        @Nullable Statement job,
        boolean mayExecute) {}
