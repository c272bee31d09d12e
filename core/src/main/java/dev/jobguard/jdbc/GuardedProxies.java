package dev.jobguard.jdbc;

import dev.jobguard.StatementRefusedException;
import dev.jobguard.internal.run.RunContext;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * The JDBC objects the guard hands out as a {@link Proxy} rather than a class of its own: each passes every call
 * through but the one or two that would lead around the guard.
 */
final class GuardedProxies {

    private GuardedProxies() {}

    /**
     * The connection's metadata: {@code getConnection()} would hand the job the driver's connection, on which writes
     * bypass the guard, so it returns the guarded connection instead.
     */
    static DatabaseMetaData metaData(DatabaseMetaData metaData, Connection guarded) {
        return (DatabaseMetaData) Proxy.newProxyInstance(
                GuardedProxies.class.getClassLoader(),
                new Class<?>[] {DatabaseMetaData.class},
                (proxy, method, args) -> {
                    if (method.getParameterCount() == 0 && method.getName().equals("getConnection")) {
                        return guarded;
                    }
                    try {
                        return method.invoke(metaData, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    /**
     * An updatable result set, whose {@code updateRow}, {@code insertRow} and {@code deleteRow} write rows no update
     * count reports: inside a guarded run they are refused before they reach the driver (also on a result set opened
     * before the run). {@code getStatement()} returns the guarded statement.
     */
    static ResultSet rowChangesRefused(ResultSet target, Statement guarded) {
        return (ResultSet) Proxy.newProxyInstance(
                GuardedProxies.class.getClassLoader(), new Class<?>[] {ResultSet.class}, (proxy, method, args) -> {
                    String name = method.getName();
                    if (method.getParameterCount() == 0) {
                        if (name.equals("getStatement")) {
                            return guarded;
                        }
                        if (name.equals("updateRow") || name.equals("insertRow") || name.equals("deleteRow")) {
                            RunContext run = RunContext.current();
                            if (run != null) {
                                throw new StatementRefusedException("jobguard: job '" + run.jobName()
                                        + "': refused ResultSet." + name + "(): a row changed through an updatable"
                                        + " result set has no update count, so the guard could not count it."
                                        + " Fix: change the rows with UPDATE, INSERT or DELETE statements.");
                            }
                        }
                    }
                    try {
                        return method.invoke(target, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
