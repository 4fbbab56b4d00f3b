package org.qarnotmcp.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** The formatted messages one logger writes while a test runs (attached to the running Log4j configuration). */
public final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final String loggerName;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private LogCapture(String loggerName) {
        super("capture-" + loggerName + "-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        this.loggerName = loggerName;
    }

    public static LogCapture of(String loggerName) {
        LogCapture capture = new LogCapture(loggerName);
        capture.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        LoggerConfig logger = config.getLoggerConfig(loggerName);
        if (!logger.getName().equals(loggerName)) {
            LoggerConfig own = new LoggerConfig(loggerName, Level.INFO, true);
            config.addLogger(loggerName, own);
            logger = own;
        }
        logger.addAppender(capture, Level.ALL, null);
        context.updateLoggers();
        return capture;
    }

    @Override
    public void append(LogEvent event) {
        lines.add(event.getMessage().getFormattedMessage());
    }

    public List<String> lines() {
        return List.copyOf(lines);
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        context.getConfiguration().getLoggerConfig(loggerName).removeAppender(getName());
        context.updateLoggers();
        stop();
    }
}
