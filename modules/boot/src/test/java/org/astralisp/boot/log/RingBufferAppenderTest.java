package org.astralisp.boot.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.util.List;
import org.junit.jupiter.api.Test;

class RingBufferAppenderTest {

    private static LoggingEvent event(long timestamp, String message) {
        LoggerContext context = new LoggerContext();
        LoggingEvent event = new LoggingEvent("fqcn", context.getLogger("org.astralisp.kernel"), Level.INFO, message, null, null);
        event.setTimeStamp(timestamp);
        return event;
    }

    @Test
    void keepsTheNewestLinesAndCountsTheDropped() {
        RingBufferAppender ring = new RingBufferAppender(3, 1_000);
        ring.start();
        for (int i = 1; i <= 5; i++) {
            ring.doAppend(event(1_000 + i * 1_500L, "line " + i));
        }
        assertEquals(List.of(
                "[    4.500] INFO  kernel: line 3",
                "[    6.000] INFO  kernel: line 4",
                "[    7.500] INFO  kernel: line 5"), ring.lines());
        assertEquals(2, ring.dropped());
    }

    @Test
    void capacityMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new RingBufferAppender(0, 0));
    }

    @Test
    void dmesgSaysWhenOlderLinesWereDropped() {
        KernelLog log = KernelLog.start(java.nio.file.Path.of("target"), 0, false);
        try {
            org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger("org.astralisp.flood");
            for (int i = 0; i < KernelLog.RING_CAPACITY + 5; i++) {
                logger.info("line {}", i);
            }
            List<String> lines = log.dmesg();
            assertEquals("(5 older lines dropped; the whole log is in var/log/kernel.log)", lines.getFirst());
            assertEquals(KernelLog.RING_CAPACITY + 1, lines.size());
        } finally {
            log.stop();
        }
    }
}
