package dev.jobguard.internal.sql;

import dev.jobguard.Operation;

/** What one SQL statement does, as far as the guard is concerned. */
public enum StatementKind {
    /** SELECT, VALUES, TABLE, SHOW, DESCRIBE, EXPLAIN without side effects. */
    READ,
    INSERT,
    UPDATE,
    DELETE,
    /** MERGE, UPSERT, MySQL REPLACE, H2 {@code MERGE INTO t KEY(..)}. */
    MERGE,
    TRUNCATE,
    DROP_TABLE,
    /** Any other CREATE, ALTER, DROP, RENAME, COMMENT, GRANT, REVOKE, ANALYZE, VACUUM... */
    DDL,
    /** CALL, EXEC, JDBC {@code {call p(?)}} escapes and anonymous blocks: writes the counts do not show. */
    CALL,
    /** LOCK TABLE(S), UNLOCK TABLES. */
    LOCK,
    /** Transaction and session control: BEGIN, START TRANSACTION, COMMIT, ROLLBACK, SAVEPOINT, SET, USE... */
    TRANSACTION,
    /** Could not be classified; treated as a write. */
    UNKNOWN;

    /** True when the statement may change data or schema; {@link #UNKNOWN} counts as a write. */
    public boolean isWrite() {
        return switch (this) {
            case INSERT, UPDATE, DELETE, MERGE, TRUNCATE, DROP_TABLE, DDL, CALL, UNKNOWN -> true;
            case READ, LOCK, TRANSACTION -> false;
        };
    }

    /** True for statements that commit the open transaction implicitly on MySQL, MariaDB and H2. */
    public boolean isSchemaChange() {
        return switch (this) {
            case TRUNCATE, DROP_TABLE, DDL, LOCK -> true;
            default -> false;
        };
    }

    /** The per-table operation this kind is reported as. */
    public Operation operation() {
        return switch (this) {
            case INSERT -> Operation.INSERT;
            case UPDATE -> Operation.UPDATE;
            case DELETE -> Operation.DELETE;
            case MERGE -> Operation.MERGE;
            default -> Operation.OTHER;
        };
    }
}
