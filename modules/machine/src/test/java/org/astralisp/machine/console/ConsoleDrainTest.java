package org.astralisp.machine.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** {@code tcdrain} on the host end: waiting until the guest's output has been written and flushed. */
class ConsoleDrainTest {

    /** A host output that holds every write until the test opens the gate, and counts flushes. */
    static final class GatedOutput extends OutputStream {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final CountDownLatch gate = new CountDownLatch(1);
        volatile int flushes;

        @Override
        public void write(int b) {
            try {
                gate.await(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            synchronized (bytes) {
                bytes.write(b);
            }
        }

        @Override
        public void flush() {
            flushes++;
        }
    }

    @Test
    void stdioDrainWaitsUntilEveryTransmittedByteIsWrittenAndFlushed() {
        GatedOutput host = new GatedOutput();
        StdioConsole stdio = new StdioConsole(new ByteArrayInputStream(new byte[0]), host);
        try {
            for (byte b : "ok \r\n".getBytes()) {
                stdio.transmit(b);
            }
            assertFalse(stdio.drain(Duration.ofMillis(100)), "the host has not taken the bytes yet");
            host.gate.countDown();
            assertTrue(stdio.drain(Duration.ofSeconds(5)));
            synchronized (host.bytes) {
                assertEquals("ok \r\n", host.bytes.toString());
            }
            assertTrue(host.flushes > 0, "drained means flushed too");
            assertTrue(stdio.drain(Duration.ZERO), "nothing new: drained at once");
        } finally {
            stdio.close();
        }
    }

    @Test
    void aBackEndWithoutAcknowledgementsDrainsAtOnce() {
        assertTrue(ConsoleBackend.detached().drain(Duration.ZERO));
    }

    @Test
    void onlyATelnetPortTakesAHostEndBackAfterAHangup() throws Exception {
        assertFalse(ConsoleBackend.detached().reconnects());
        StdioConsole stdio = new StdioConsole(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream());
        try (TelnetConsole telnet = new TelnetConsole(0)) {
            assertFalse(stdio.reconnects(), "end of standard input is final");
            assertTrue(telnet.reconnects(), "the port takes the next client");
        } finally {
            stdio.close();
        }
    }
}
