package org.astralisp.machine.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The console back ends on the host side: detached, pipe, stdio, the {@code --console} values. */
@Timeout(30)
class ConsoleBackendTest {

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void detachedConsoleDiscardsOutputAndHasNoInput() {
        ConsoleBackend detached = ConsoleBackend.detached();
        detached.connect(() -> { });
        detached.transmit((byte) 'a');
        assertEquals(-1, detached.poll());
        assertEquals(1, detached.droppedOutput());
        detached.close();
    }

    @Test
    void pipeDeliversFedInputInOrderAndTellsTheUart() throws InterruptedException {
        try (PipeConsole pipe = new PipeConsole()) {
            AtomicInteger told = new AtomicInteger();
            pipe.connect(told::incrementAndGet);
            pipe.feed("ab");
            assertEquals(2, told.get());
            assertEquals('a', pipe.poll());
            assertEquals('b', pipe.poll());
            assertEquals(-1, pipe.poll());
        }
    }

    @Test
    void pipeOutputIsReadInOrderAndEmptyAfterTimeout() throws InterruptedException {
        try (PipeConsole pipe = new PipeConsole()) {
            pipe.transmit((byte) 'o');
            pipe.transmit((byte) 'k');
            assertArrayEquals(ascii("ok"), pipe.readOutput(Duration.ofSeconds(1)));
            assertEquals(0, pipe.readOutput(Duration.ofMillis(10)).length);
        }
    }

    @Test
    void outputTheHostDoesNotReadIsDroppedAndCountedWithoutBlocking() {
        try (PipeConsole pipe = new PipeConsole()) {
            for (int i = 0; i < PipeConsole.CAPACITY + 3; i++) {
                pipe.transmit((byte) 'x');
            }
            assertEquals(3, pipe.droppedOutput());
            assertEquals(PipeConsole.CAPACITY, pipe.drainOutput().length);
        }
    }

    @Test
    void feedingAClosedPipeFails() {
        PipeConsole pipe = new PipeConsole();
        pipe.close();
        assertThrows(IllegalStateException.class, () -> pipe.feed("late"));
    }

    @Test
    void aBackEndAcceptsOneUart() {
        try (PipeConsole pipe = new PipeConsole()) {
            pipe.connect(() -> { });
            assertThrows(IllegalStateException.class, () -> pipe.connect(() -> { }));
        }
    }

    @Test
    void stdioQueuesInputAndWritesOutput() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        AtomicInteger told = new AtomicInteger();
        StdioConsole stdio = new StdioConsole(new ByteArrayInputStream(ascii("hi")), out);
        stdio.connect(told::incrementAndGet);
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (stdio.input.size() < 2 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals('h', stdio.poll());
        assertEquals('i', stdio.poll());
        stdio.transmit((byte) 'o');
        stdio.transmit((byte) 'k');
        stdio.close();
        assertArrayEquals(ascii("ok"), out.toByteArray(), "close writes what was queued");
    }

    @Test
    void stdioPacesInputTheGuestHasNotTaken() throws Exception {
        try (PipedOutputStream host = new PipedOutputStream();
                PipedInputStream in = new PipedInputStream(host, 1 << 16)) {
            StdioConsole stdio = new StdioConsole(in, new ByteArrayOutputStream());
            host.write(new byte[StdioConsole.INPUT_CAPACITY + 100]);
            host.flush();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (stdio.input.size() < StdioConsole.INPUT_CAPACITY && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(50);
            assertEquals(StdioConsole.INPUT_CAPACITY, stdio.input.size(), "the reader waits; nothing is lost");
            for (int i = 0; i < StdioConsole.INPUT_CAPACITY + 100; i++) {
                int b = -1;
                while (b < 0 && System.nanoTime() < deadline) {
                    b = stdio.poll();
                }
                assertEquals(0, b, "byte " + i);
            }
            stdio.close();
        }
    }

    @Test
    void consoleOptionsNameTheirBackEnds() throws IOException {
        try (ConsoleBackend none = ConsoleBackend.forOption("none")) {
            assertInstanceOf(DetachedConsole.class, none);
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        try (ConsoleBackend telnet = ConsoleBackend.forOption("telnet:" + port)) {
            assertEquals(port, ((TelnetConsole) telnet).port());
        }
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> ConsoleBackend.forOption("serial"));
        assertTrue(bad.getMessage().contains("serial"));
        assertThrows(IllegalArgumentException.class, () -> ConsoleBackend.forOption("telnet:x"));
    }

    @Test
    void pipeCarrierDropsAtEndOfInputOnlyAfterTheGuestTookWhatWasFed() throws InterruptedException {
        try (PipeConsole pipe = new PipeConsole()) {
            AtomicInteger told = new AtomicInteger();
            pipe.connect(told::incrementAndGet);
            assertTrue(pipe.carrierDetected(), "the pipe's host end is there from the start");
            pipe.feed("z");
            pipe.endInput();
            assertEquals(2, told.get(), "the UART is told of the byte and of the end of input");
            assertTrue(pipe.carrierDetected(), "a byte is still queued: the hangup does not overtake it");
            assertEquals('z', pipe.poll());
            assertFalse(pipe.carrierDetected());
            IllegalStateException late = assertThrows(IllegalStateException.class, () -> pipe.feed("late"));
            assertTrue(late.getMessage().contains("ended"), late.getMessage());
        }
    }

    @Test
    void detachedConsoleKeepsItsCarrier() {
        assertTrue(ConsoleBackend.detached().carrierDetected(), "no console is not a hung-up console");
    }

    @Test
    void stdioCarrierDropsAtEndOfFileAndTheUartIsTold() throws Exception {
        AtomicInteger told = new AtomicInteger();
        try (PipedOutputStream host = new PipedOutputStream(); PipedInputStream in = new PipedInputStream(host)) {
            StdioConsole stdio = new StdioConsole(in, new ByteArrayOutputStream());
            stdio.connect(told::incrementAndGet);
            host.write('q');
            host.close();
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (told.get() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertFalse(stdio.hostPresent(), "standard input reached its end");
            assertTrue(stdio.carrierDetected(), "until the guest took the last byte");
            assertEquals('q', stdio.poll());
            assertFalse(stdio.carrierDetected());
            assertEquals(2, told.get(), "told of the byte and of the end of input");
            stdio.close();
        }
    }
}
