package dev.jobguard;

/** The kind of change a write statement makes, as reported per table in a {@link RunReport}. */
public enum Operation {
    INSERT,
    UPDATE,
    DELETE,
    /** MERGE, UPSERT and REPLACE: insert-or-update statements. */
    MERGE,
    /** Anything else that changes data: TRUNCATE, DDL, CALL, statements the parser could not read. */
    OTHER
}
