package org.astralisp.boot.log;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.LoggerFactory;

/**
 * The kernel log: SLF4J through Logback into three sinks — the
 * {@link RingBufferAppender} that {@code dmesg} reads, {@code var/log/kernel.log}
 * in the image, and the console for warnings and errors.
 *
 * <p>Subsystems are loggers. A subsystem name without a dot stands for
 * {@code org.astralisp.<name>} (so {@code boot} is {@code org.astralisp.boot});
 * a dotted name is a logger name as it is; {@code root} is every logger.
 * Levels can be changed at run time ({@link #setLevel}).
 */
public final class KernelLog {

    public static final int RING_CAPACITY = 4096;
    static final String PREFIX = "org.astralisp.";

    private final LoggerContext context;
    private final RingBufferAppender ring;

    private KernelLog(LoggerContext context, RingBufferAppender ring) {
        this.context = context;
        this.ring = ring;
    }

    /**
     * Replaces Logback's default configuration with the kernel log's.
     *
     * @param logDirectory where {@code kernel.log} is appended to
     * @param epochMillis the wall-clock time dmesg counts from
     * @param consoleEcho whether warnings and errors are also printed on stderr
     */
    public static KernelLog start(Path logDirectory, long epochMillis, boolean consoleEcho) {
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        context.reset();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);

        RingBufferAppender ring = new RingBufferAppender(RING_CAPACITY, epochMillis);
        ring.setContext(context);
        ring.start();
        root.addAppender(ring);

        FileAppender<ILoggingEvent> file = new FileAppender<>();
        file.setContext(context);
        file.setName("kernel-file");
        file.setFile(logDirectory.resolve("kernel.log").toString());
        file.setAppend(true);
        file.setEncoder(encoder(context, "%d{yyyy-MM-dd'T'HH:mm:ss.SSS} %-5level [%thread] %logger: %msg%n"));
        file.start();
        root.addAppender(file);

        if (consoleEcho) {
            ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
            console.setContext(context);
            console.setName("kernel-console");
            console.setTarget("System.err");
            console.setEncoder(encoder(context, "%level %logger{0}: %msg%n"));
            ThresholdFilter warnings = new ThresholdFilter();
            warnings.setLevel("WARN");
            warnings.start();
            console.addFilter(warnings);
            console.start();
            root.addAppender(console);
        }
        return new KernelLog(context, ring);
    }

    private static PatternLayoutEncoder encoder(LoggerContext context, String pattern) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(pattern);
        encoder.start();
        return encoder;
    }

    /** The dmesg lines, oldest first. */
    public List<String> dmesg() {
        List<String> lines = new ArrayList<>();
        long dropped = ring.dropped();
        if (dropped > 0) {
            lines.add("(" + dropped + " older lines dropped; the whole log is in var/log/kernel.log)");
        }
        lines.addAll(ring.lines());
        return lines;
    }

    /**
     * Sets the level of a subsystem.
     *
     * @return the logger name the subsystem stands for
     * @throws IllegalArgumentException naming the bad level or subsystem
     */
    public String setLevel(String subsystem, String levelName) {
        String upper = levelName.toUpperCase(Locale.ROOT);
        if (!List.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR", "OFF").contains(upper)) {
            throw new IllegalArgumentException("unknown level '" + levelName
                    + "' (expected trace, debug, info, warn, error or off)");
        }
        String loggerName = loggerNameOf(subsystem);
        context.getLogger(loggerName).setLevel(Level.toLevel(upper));
        return loggerName;
    }

    /** Subsystems with a level set explicitly, and that level. */
    public Map<String, String> levels() {
        Map<String, String> levels = new TreeMap<>();
        for (Logger logger : context.getLoggerList()) {
            if (logger.getLevel() != null) {
                levels.put(subsystemOf(logger.getName()), logger.getLevel().toString());
            }
        }
        return levels;
    }

    /** Stops the appenders, flushing {@code kernel.log}. */
    public void stop() {
        context.stop();
    }

    static String loggerNameOf(String subsystem) {
        if (subsystem.isEmpty() || subsystem.contains(" ")) {
            throw new IllegalArgumentException("bad subsystem name '" + subsystem + "'");
        }
        if (subsystem.equalsIgnoreCase("root")) {
            return Logger.ROOT_LOGGER_NAME;
        }
        return subsystem.contains(".") ? subsystem : PREFIX + subsystem;
    }

    /** The short subsystem name of a logger: {@code org.astralisp.boot.X} is {@code boot.X}. */
    static String subsystemOf(String loggerName) {
        if (loggerName.equals(Logger.ROOT_LOGGER_NAME)) {
            return "root";
        }
        return loggerName.startsWith(PREFIX) ? loggerName.substring(PREFIX.length()) : loggerName;
    }
}
