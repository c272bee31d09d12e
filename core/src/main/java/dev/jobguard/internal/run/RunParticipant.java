package dev.jobguard.internal.run;

import java.sql.SQLException;

/** A resource (a connection) whose transaction belongs to a guarded run and is settled when the run ends. */
public interface RunParticipant {

    /** The run tripped. May be called from any thread of the run: remember it, do no I/O. */
    void tripped(RunContext run);

    /**
     * The run ended on its own thread. Commit when {@code commit} is true, otherwise roll back what the guard owns.
     */
    void finish(RunContext run, boolean commit) throws SQLException;
}
