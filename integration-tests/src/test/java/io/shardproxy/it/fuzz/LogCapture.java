package io.shardproxy.it.fuzz;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.StackTraceElementProxy;
import ch.qos.logback.core.AppenderBase;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects what the proxy logs at WARN or above while the fuzzer runs, with stack traces, so an
 * exception a session swallowed (and logged) fails the test even when the client saw nothing odd;
 * and, as the JVM's default uncaught-exception handler, every thread that died of an exception.
 * Attached to the root logger; {@link #close} detaches it and restores the previous handler.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    /** Distinct events in order of first appearance (thread names left out so repeats collapse). */
    private final List<String> events = new ArrayList<>();
    private final java.util.Map<String, Integer> counts = new java.util.HashMap<>();
    private final Logger root;
    private final Thread.UncaughtExceptionHandler previousHandler;

    public LogCapture() {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        setContext(context);
        setName("fuzz-log-capture");
        start();
        root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(this);
        previousHandler = Thread.getDefaultUncaughtExceptionHandler();
        Thread.setDefaultUncaughtExceptionHandler(this::uncaught);
    }

    /** A thread killed by an exception nobody caught (a proxy worker, say): never logged, always a failure. */
    private void uncaught(Thread t, Throwable e) {
        StringBuilder s = new StringBuilder("ERROR uncaught in a thread named like ")
                .append(t.getName().replaceAll("\\d+$", "N")).append(": ").append(e);
        StackTraceElement[] frames = e.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 12); i++) {
            s.append("\n    at ").append(frames[i]);
        }
        record(s.toString());
        if (previousHandler != null) {
            previousHandler.uncaughtException(t, e);
        }
    }

    @Override
    protected void append(ILoggingEvent e) {
        if (!e.getLevel().isGreaterOrEqual(Level.WARN)) {
            return;
        }
        StringBuilder s = new StringBuilder();
        s.append(e.getLevel()).append(' ').append(e.getLoggerName()).append(' ')
                .append(e.getFormattedMessage().replaceAll("\\b(session|process) \\d+", "$1 N"));
        for (IThrowableProxy t = e.getThrowableProxy(); t != null; t = t.getCause()) {
            s.append("\n  ").append(t.getClassName()).append(": ").append(t.getMessage());
            StackTraceElementProxy[] frames = t.getStackTraceElementProxyArray();
            for (int i = 0; i < Math.min(frames.length, 25); i++) {
                s.append("\n    at ").append(frames[i].getStackTraceElement());
            }
        }
        record(s.toString());
    }

    private void record(String event) {
        synchronized (events) {
            Integer seen = counts.get(event);
            if (seen != null) {
                counts.put(event, seen + 1);
            } else if (events.size() < 200) {
                events.add(event);
                counts.put(event, 1);
            }
        }
    }

    /**
     * Events at ERROR from any logger, and at WARN from the proxy's sessions and Netty (unexpected
     * exceptions), each once with how often it was logged.
     */
    public List<String> failures() {
        synchronized (events) {
            return events.stream().filter(LogCapture::isFailure).map(e -> counts.get(e) + "x " + e).toList();
        }
    }

    /** How many failure events were logged, repeats included. */
    public int failureCount() {
        synchronized (events) {
            return events.stream().filter(LogCapture::isFailure).mapToInt(counts::get).sum();
        }
    }

    private static boolean isFailure(String e) {
        return e.startsWith("ERROR") || e.startsWith("WARN io.shardproxy.server.session") || e.startsWith("WARN io.netty");
    }

    public List<String> all() {
        synchronized (events) {
            return events.stream().map(e -> counts.get(e) + "x " + e).toList();
        }
    }

    @Override
    public void close() {
        Thread.setDefaultUncaughtExceptionHandler(previousHandler);
        root.detachAppender(this);
        stop();
    }
}
