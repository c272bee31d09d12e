package dev.jobguard.internal.journal;

import dev.jobguard.internal.sql.SqlStatementInfo;
import org.jspecify.annotations.Nullable;

/**
 * One execution the journal captures: a statement and the parameters it runs with (null for plain SQL), or a write
 * the caller already knows cannot be captured. Internal to jobguard (the guarded connection hands them to the journal).
 *
 * @param statement the classified statement
 * @param parameters its parameters, or null
 * @param gap why it cannot be captured, or null
 */
public record JournalStep(
        SqlStatementInfo statement,
        @Nullable ParameterSource parameters,
        @Nullable String gap) {

    public JournalStep(SqlStatementInfo statement, @Nullable ParameterSource parameters) {
        this(statement, parameters, null);
    }

    public static JournalStep gap(SqlStatementInfo statement, String why) {
        return new JournalStep(statement, null, why);
    }
}
