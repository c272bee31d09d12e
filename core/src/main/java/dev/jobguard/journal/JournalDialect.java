package dev.jobguard.journal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** What the journal's SQL differs in between databases: quoting, row locks. */
enum JournalDialect {
    POSTGRESQL('"', " FOR UPDATE"),
    /** MySQL and MariaDB. */
    MYSQL('`', " FOR UPDATE"),
    H2('"', " FOR UPDATE"),
    OTHER('"', "");

    private final char quote;
    private final String lock;

    JournalDialect(char quote, String lock) {
        this.quote = quote;
        this.lock = lock;
    }

    static JournalDialect of(Connection connection) throws SQLException {
        String product = connection.getMetaData().getDatabaseProductName();
        String lower = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (lower.contains("postgres")) {
            return POSTGRESQL;
        }
        if (lower.contains("mysql") || lower.contains("mariadb")) {
            return MYSQL;
        }
        return lower.equals("h2") ? H2 : OTHER;
    }

    /** The identifier quoted, so that its case is kept. */
    String quote(String identifier) {
        String doubled = identifier.replace(String.valueOf(quote), String.valueOf(quote) + quote);
        return quote + doubled + quote;
    }

    /** The clause that locks the rows a SELECT reads until the transaction ends, or "" where unsupported. */
    String lockClause() {
        return lock;
    }
}
