package org.astralisp.boot.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class KernelLogTest {

    @TempDir
    Path logs;
    private KernelLog log;

    @BeforeEach
    void start() {
        log = KernelLog.start(logs, System.currentTimeMillis(), false);
    }

    @AfterEach
    void stop() {
        log.stop();
    }

    @Test
    void dmesgShowsInfoLinesWithTheirSubsystem() {
        LoggerFactory.getLogger("org.astralisp.disk").info("vda: {} sectors", 2048);
        List<String> lines = log.dmesg();
        String last = lines.getLast();
        assertTrue(last.matches("\\[ *\\d+\\.\\d{3}] INFO  disk: vda: 2048 sectors"), last);
    }

    @Test
    void dmesgShowsTheExceptionChainOnOneLine() {
        LoggerFactory.getLogger("org.astralisp.net").warn("link down", new IllegalStateException("no carrier",
                new java.io.IOException("cable")));
        assertTrue(log.dmesg().getLast().endsWith("link down (java.lang.IllegalStateException: no carrier)"
                + " (java.io.IOException: cable)"), log.dmesg().getLast());
    }

    @Test
    void debugIsHiddenUntilTheSubsystemLevelIsRaised() {
        Logger disk = LoggerFactory.getLogger("org.astralisp.disk.queue");
        disk.debug("hidden");
        assertFalse(log.dmesg().stream().anyMatch(l -> l.contains("hidden")));
        assertEquals("org.astralisp.disk", log.setLevel("disk", "debug"));
        disk.debug("shown");
        assertTrue(log.dmesg().getLast().contains("DEBUG disk.queue: shown"));
        assertEquals("DEBUG", log.levels().get("disk"));
        assertEquals("INFO", log.levels().get("root"));
    }

    @Test
    void aDottedSubsystemIsALoggerNameAndRootIsEverything() {
        assertEquals("com.example", log.setLevel("com.example", "warn"));
        assertEquals("ROOT", log.setLevel("root", "error"));
        LoggerFactory.getLogger("org.astralisp.x").warn("dropped");
        assertFalse(log.dmesg().stream().anyMatch(l -> l.contains("dropped")));
    }

    @Test
    void badLevelsAndSubsystemsAreRefused() {
        assertEquals("unknown level 'loud' (expected trace, debug, info, warn, error or off)",
                assertThrows(IllegalArgumentException.class, () -> log.setLevel("disk", "loud")).getMessage());
        assertEquals("bad subsystem name ''",
                assertThrows(IllegalArgumentException.class, () -> log.setLevel("", "info")).getMessage());
    }

    @Test
    void linesAreAlsoWrittenToKernelLogInTheImage() throws IOException {
        LoggerFactory.getLogger("org.astralisp.boot").info("written through");
        log.stop();
        String file = Files.readString(logs.resolve("kernel.log"));
        assertTrue(file.contains("INFO  [" + Thread.currentThread().getName() + "] org.astralisp.boot: written through"), file);
    }
}
