package dev.jobguard.jdbc;

import java.sql.ParameterMetaData;
import java.sql.PreparedStatement;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The {@link PreparedStatement} methods of a guarded prepared statement that pass through unchanged: one-line
 * delegations and nothing else. It extends {@link GuardedStatement} (the guard of the methods every statement has),
 * and {@link GuardedPreparedStatement} overrides what the guard changes of a prepared statement.
 */
abstract class DelegatingPreparedStatement extends GuardedStatement implements PreparedStatement {

    /** The driver's (or pool's) prepared statement. */
    final PreparedStatement ps;

    DelegatingPreparedStatement(GuardedConnection connection, PreparedStatement delegate) {
        super(connection, delegate);
        this.ps = delegate;
    }

    @Override
    public @Nullable ResultSetMetaData getMetaData() throws SQLException {
        return ps.getMetaData();
    }

    @Override
    public ParameterMetaData getParameterMetaData() throws SQLException {
        return ps.getParameterMetaData();
    }
}
