package dev.jobguard.jdbc;

import dev.jobguard.sql.SqlStatementInfo;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Locale;

/** What the guard needs to know about a database: which statements commit the open transaction by themselves. */
enum Dialect {
    /** DDL is transactional. */
    POSTGRESQL {
        @Override
        boolean commitsImplicitly(SqlStatementInfo statement) {
            return false;
        }
    },
    /** MySQL and MariaDB: DDL and LOCK TABLES commit, except CREATE/DROP TEMPORARY TABLE. */
    MYSQL {
        @Override
        boolean commitsImplicitly(SqlStatementInfo statement) {
            return statement.kind().isSchemaChange() && !statement.temporary();
        }
    },
    /** H2 commits before every DDL statement, except a temporary table created {@code TRANSACTIONAL}. */
    H2 {
        @Override
        boolean commitsImplicitly(SqlStatementInfo statement) {
            return statement.kind().isSchemaChange()
                    && !(statement.temporary()
                            && statement.sql().toUpperCase(Locale.ROOT).contains("TRANSACTIONAL"));
        }
    },
    /** Anything else: assume, conservatively, that DDL commits. */
    OTHER {
        @Override
        boolean commitsImplicitly(SqlStatementInfo statement) {
            return statement.kind().isSchemaChange();
        }
    };

    abstract boolean commitsImplicitly(SqlStatementInfo statement);

    static Dialect of(Connection connection) throws SQLException {
        return switch (DatabaseProduct.of(connection.getMetaData())) {
            case POSTGRESQL -> POSTGRESQL;
            case MYSQL -> MYSQL;
            case H2 -> H2;
            case OTHER -> OTHER;
        };
    }
}
