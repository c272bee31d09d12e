package dev.jobguard.state;

import dev.jobguard.jdbc.DatabaseProduct;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;

/** The databases {@link JdbcStateStore} supports: where their DDL is, and how they report a duplicate key. */
enum StoreDialect {
    POSTGRESQL("PostgreSQL", "schema-postgresql.sql"),
    /** MySQL and MariaDB. */
    MYSQL("MySQL/MariaDB", "schema-mysql.sql"),
    H2("H2", "schema-h2.sql");

    static final String RESOURCE_FOLDER = "dev/jobguard/state/";

    private final String displayName;
    private final String schemaFile;

    StoreDialect(String displayName, String schemaFile) {
        this.displayName = displayName;
        this.schemaFile = schemaFile;
    }

    /** The dialect of the database behind the connection's metadata. */
    static StoreDialect of(DatabaseMetaData metaData) throws SQLException {
        return switch (DatabaseProduct.of(metaData)) {
            case POSTGRESQL -> POSTGRESQL;
            case MYSQL -> MYSQL;
            case H2 -> H2;
            case OTHER ->
                throw new StateStoreException("jobguard: JdbcStateStore does not support the database '"
                        + metaData.getDatabaseProductName()
                        + "'; it supports PostgreSQL, MySQL/MariaDB and H2. Use another"
                        + " StateStore for this database.");
        };
    }

    String displayName() {
        return displayName;
    }

    /** The classpath resource holding this database's DDL, e.g. {@code dev/jobguard/state/schema-h2.sql}. */
    String schemaResource(String folder) {
        return folder + schemaFile;
    }

    /** Whether the failure is an insert that met an existing primary key. */
    boolean isDuplicateKey(SQLException failure) {
        String state = failure.getSQLState();
        if (this == MYSQL) {
            return failure.getErrorCode() == 1062 || "23000".equals(state) && failure.getErrorCode() == 0;
        }
        return "23505".equals(state);
    }

    /** Whether the failure is a lost race the statement may simply be retried after (deadlock, serialization). */
    static boolean isTransientConflict(SQLException failure) {
        String state = failure.getSQLState();
        // 40xxx: transaction rollback (deadlock, serialization); H2 90131: concurrent update of a row
        return state != null && state.startsWith("40") || failure.getErrorCode() == 90131;
    }
}
