package dev.jobguard.journal;

import dev.jobguard.jdbc.DatabaseProduct;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

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
        return switch (DatabaseProduct.of(connection.getMetaData())) {
            case POSTGRESQL -> POSTGRESQL;
            case MYSQL -> MYSQL;
            case H2 -> H2;
            case OTHER -> OTHER;
        };
    }

    /** The identifier quoted, so that its case is kept. */
    String quote(String identifier) {
        String doubled = identifier.replace(String.valueOf(quote), String.valueOf(quote) + quote);
        return quote + doubled + quote;
    }

    /** The identifiers quoted, separated by commas. */
    String columnList(List<String> columns) {
        StringBuilder list = new StringBuilder();
        for (String column : columns) {
            list.append(list.length() == 0 ? "" : ", ").append(quote(column));
        }
        return list.toString();
    }

    /** The clause that locks the rows a SELECT reads until the transaction ends, or "" where unsupported. */
    String lockClause() {
        return lock;
    }
}
