package dev.jobguard;

import java.sql.SQLException;
import java.util.Objects;

/**
 * Thrown by the statement (or the commit) that would let a guarded run change more rows than its policy allows.
 * The statement's changes are rolled back; later writes and commits of the same run are refused.
 */
public class RowLimitExceededException extends SQLException {

    private static final long serialVersionUID = 1L;

    /** The SQLState of every exception thrown by the guard for a crossed limit. */
    public static final String SQL_STATE = "JG001";

    private final String jobName;
    private final transient Trip trip;

    public RowLimitExceededException(String jobName, Trip trip, String detail) {
        super(message(jobName, trip, detail), SQL_STATE);
        this.jobName = jobName;
        this.trip = Objects.requireNonNull(trip, "trip");
    }

    /** The job whose run tripped. */
    public String jobName() {
        return jobName;
    }

    /** The limit that was crossed. */
    public Trip trip() {
        return trip;
    }

    private static String message(String jobName, Trip trip, String detail) {
        return "jobguard: job '" + jobName + "' tripped: " + trip.describe() + ". " + detail;
    }
}
