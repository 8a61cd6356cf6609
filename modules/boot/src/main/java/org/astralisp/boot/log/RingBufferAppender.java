package org.astralisp.boot.log;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.AppenderBase;
import java.util.ArrayList;
import java.util.List;

/**
 * The kernel log's memory: the last {@code capacity} log lines, oldest first,
 * as {@code dmesg} shows them.
 *
 * <p>Invariant: {@code lines[(start + i) % capacity]} for {@code i < size} are the
 * retained lines in order. {@link AppenderBase#doAppend} serialises
 * {@link #append}; {@link #lines()} takes the same monitor, so readers see a
 * consistent ring.
 */
public final class RingBufferAppender extends AppenderBase<ILoggingEvent> {

    private final String[] lines;
    private final long epochMillis;
    private int start;
    private int size;
    private long dropped;

    /** {@code epochMillis}: the wall-clock time that dmesg shows as 0.000. */
    public RingBufferAppender(int capacity, long epochMillis) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive, was " + capacity);
        }
        this.lines = new String[capacity];
        this.epochMillis = epochMillis;
        setName("kernel-ring");
    }

    @Override
    protected void append(ILoggingEvent event) {
        String line = format(event);
        if (size < lines.length) {
            lines[(start + size) % lines.length] = line;
            size++;
        } else {
            lines[start] = line;
            start = (start + 1) % lines.length;
            dropped++;
        }
    }

    private String format(ILoggingEvent event) {
        long millis = event.getTimeStamp() - epochMillis;
        StringBuilder line = new StringBuilder(String.format("[%5d.%03d] %-5s %s: %s",
                millis / 1000, Math.abs(millis % 1000), event.getLevel(),
                KernelLog.subsystemOf(event.getLoggerName()), event.getFormattedMessage()));
        IThrowableProxy thrown = event.getThrowableProxy();
        while (thrown != null) {
            line.append(" (").append(thrown.getClassName());
            if (thrown.getMessage() != null) {
                line.append(": ").append(thrown.getMessage());
            }
            line.append(')');
            thrown = thrown.getCause();
        }
        return line.toString();
    }

    /** The retained lines, oldest first. */
    public synchronized List<String> lines() {
        List<String> copy = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            copy.add(lines[(start + i) % lines.length]);
        }
        return copy;
    }

    /** How many lines have been overwritten since boot. */
    public synchronized long dropped() {
        return dropped;
    }
}
