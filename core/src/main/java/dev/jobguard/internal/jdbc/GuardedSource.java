package dev.jobguard.internal.jdbc;

import javax.sql.DataSource;

/**
 * A DataSource in front of another whose connections the guard counts ({@code GuardedDataSource}). jobguard's own
 * tables (state, journal) are written on the one behind it, so that the guard never counts its own writes.
 */
public interface GuardedSource {

    /** The DataSource behind this one. */
    DataSource getTargetDataSource();

    /** The DataSource behind {@code dataSource} when it is a guarded one, else {@code dataSource} itself. */
    static DataSource unguarded(DataSource dataSource) {
        return dataSource instanceof GuardedSource guarded ? guarded.getTargetDataSource() : dataSource;
    }
}
