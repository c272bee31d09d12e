package dev.jobguard.it;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.sql.Connection;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/** A DataSource that counts the statements its connections send to the database ({@code execute*} calls). */
final class CountingDataSource {

    private final DataSource target;
    private final AtomicLong executions = new AtomicLong();

    CountingDataSource(DataSource target) {
        this.target = target;
    }

    /** The statements executed so far. */
    long executions() {
        return executions.get();
    }

    DataSource dataSource() {
        return proxy(DataSource.class, target);
    }

    private <T> T proxy(Class<T> type, Object delegate) {
        InvocationHandler handler = (proxy, method, args) -> {
            if (method.getName().startsWith("execute")) {
                executions.incrementAndGet();
            }
            Object result = invoke(delegate, method, args);
            if (result instanceof Connection connection && method.getName().equals("getConnection")) {
                return proxy(Connection.class, connection);
            }
            if (result instanceof Statement statement && method.getName().matches("create.*|prepare.*")) {
                return proxy(method.getReturnType(), statement);
            }
            return result;
        };
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, handler));
    }

    private static Object invoke(Object target, Method method, Object[] args) throws Throwable {
        try {
            return method.invoke(target, args);
        } catch (InvocationTargetException failed) {
            throw failed.getCause();
        }
    }
}
