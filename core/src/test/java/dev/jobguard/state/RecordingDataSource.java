package dev.jobguard.state;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;

/**
 * A DataSource that records what is asked of its connections ({@code prepareStatement}, {@code getMetaData},
 * {@code commit}, ...) and, for a pool in manual-commit mode, hands connections out with auto-commit off, rolling
 * back whatever was left uncommitted when they are given back.
 */
final class RecordingDataSource {

    private final DataSource target;
    private final boolean manualCommit;
    private final List<String> calls = new CopyOnWriteArrayList<>();
    /** Each connection's auto-commit when it was given back. */
    private final List<Boolean> autoCommitOnClose = new CopyOnWriteArrayList<>();

    RecordingDataSource(DataSource target, boolean manualCommit) {
        this.target = target;
        this.manualCommit = manualCommit;
    }

    DataSource dataSource() {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().equals("getConnection")) {
                Connection connection = (Connection) invoke(target, method, args);
                if (manualCommit) {
                    connection.setAutoCommit(false);
                }
                return connection(connection);
            }
            return invoke(target, method, args);
        };
        return (DataSource)
                Proxy.newProxyInstance(DataSource.class.getClassLoader(), new Class<?>[] {DataSource.class}, handler);
    }

    private Connection connection(Connection connection) {
        InvocationHandler handler = (proxy, method, args) -> {
            String name = method.getName();
            if (name.equals("close")) {
                autoCommitOnClose.add(connection.getAutoCommit());
                if (!connection.getAutoCommit()) {
                    connection.rollback();
                    connection.setAutoCommit(true);
                }
            } else if (!name.equals("getAutoCommit")) {
                calls.add(name);
            }
            return invoke(connection, method, args);
        };
        return (Connection)
                Proxy.newProxyInstance(Connection.class.getClassLoader(), new Class<?>[] {Connection.class}, handler);
    }

    /** The calls made on connections since the last {@link #clear()}, by method name. */
    List<String> calls() {
        return List.copyOf(calls);
    }

    List<Boolean> autoCommitOnClose() {
        return List.copyOf(autoCommitOnClose);
    }

    void clear() {
        calls.clear();
        autoCommitOnClose.clear();
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException failed) {
            throw failed.getCause();
        }
    }
}
