package dev.jobguard;

import java.sql.SQLException;

/**
 * Thrown before a statement executes when a guarded run cannot let it run safely, for example DDL that would
 * commit a dry run's writes implicitly. Nothing was executed.
 */
public class StatementRefusedException extends SQLException {

    private static final long serialVersionUID = 1L;

    /** The SQLState of every statement the guard refuses. */
    public static final String SQL_STATE = "JG002";

    public StatementRefusedException(String message) {
        super(message, SQL_STATE);
    }
}
