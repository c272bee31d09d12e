package dev.jobguard.internal.journal;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/** The parameters a job bound to a prepared statement, as the journal replays them on its own reads. Internal. */
public interface ParameterSource {

    /** Whether the parameter was bound and can be bound again (a stream cannot). */
    boolean replayable(int index);

    /** The value bound, for working out an inserted row's key; null when unknown or NULL. */
    @Nullable
    Object value(int index);

    /** Binds the same value to {@code target}'s parameter {@code targetIndex}. */
    void bind(int index, PreparedStatement target, int targetIndex) throws SQLException;
}
