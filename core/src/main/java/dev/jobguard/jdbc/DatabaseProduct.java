package dev.jobguard.jdbc;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;

/** The databases jobguard tells apart, by the driver's product name. */
public enum DatabaseProduct {
    POSTGRESQL,
    /** MySQL and MariaDB. */
    MYSQL,
    H2,
    OTHER;

    public static DatabaseProduct of(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        String lower = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (lower.contains("postgres")) {
            return POSTGRESQL;
        }
        if (lower.contains("mysql") || lower.contains("mariadb")) {
            return MYSQL;
        }
        return lower.equals("h2") ? H2 : OTHER;
    }
}
