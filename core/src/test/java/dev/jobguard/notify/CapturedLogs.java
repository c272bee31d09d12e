package dev.jobguard.notify;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Captures what one logger writes while open. */
public final class CapturedLogs implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLogs(String loggerName) {
        this.logger = (Logger) LoggerFactory.getLogger(loggerName);
        appender.start();
        logger.addAppender(appender);
    }

    public static CapturedLogs of(String loggerName) {
        return new CapturedLogs(loggerName);
    }

    public static CapturedLogs of(Class<?> loggerClass) {
        return new CapturedLogs(loggerClass.getName());
    }

    /** A snapshot; AppenderBase appends while holding the appender's monitor. */
    public List<ILoggingEvent> events() {
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    public List<ILoggingEvent> at(Level level) {
        return events().stream().filter(e -> e.getLevel() == level).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
        appender.stop();
    }
}
