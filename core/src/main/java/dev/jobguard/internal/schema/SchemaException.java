package dev.jobguard.internal.schema;

import org.jspecify.annotations.Nullable;

/**
 * Jobguard's tables are missing, or lack columns, and cannot or may not be created; its message is the one a user
 * reads. The owner of the tables rethrows it as its own exception (the state store and the journal: a
 * {@code StateStoreException}) with the same message.
 */
public final class SchemaException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SchemaException(String message, @Nullable Throwable cause) {
        super(message, cause);
    }

    public SchemaException(String message) {
        super(message);
    }
}
