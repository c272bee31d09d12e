package dev.jobguard.jdbc;

import java.sql.SQLException;

/** One call to the driver. */
@FunctionalInterface
interface SqlCall<R> {
    R call() throws SQLException;
}
