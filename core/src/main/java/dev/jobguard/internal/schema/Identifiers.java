package dev.jobguard.internal.schema;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How to look a table or column up in the database's metadata: the current schema, an unquoted name's case. */
public final class Identifiers {

    private Identifiers() {}

    /** The connection's current schema, or null when the driver cannot tell. */
    public static @Nullable String currentSchema(Connection connection) {
        try {
            return connection.getSchema();
        } catch (SQLException | AbstractMethodError unknown) {
            return null;
        }
    }

    /** The name as the database stores an unquoted identifier. */
    public static String identifierCase(DatabaseMetaData metaData, String name) throws SQLException {
        if (metaData.storesUpperCaseIdentifiers()) {
            return name.toUpperCase(Locale.ROOT);
        }
        if (metaData.storesLowerCaseIdentifiers()) {
            return name.toLowerCase(Locale.ROOT);
        }
        return name;
    }
}
