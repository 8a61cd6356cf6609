package org.astralisp.kernel.tty;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.astralisp.boot.spi.TerminalInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The tty between the driver and the reader, with the driver's side played
 * by the test: bytes and carrier changes as the interrupt handler hands them
 * over, the deferred work run when the test says.
 */
@Timeout(30)
class SerialTerminalTest {

    private final ByteArrayOutputStream output = new ByteArrayOutputStream();
    private final AtomicInteger scheduled = new AtomicInteger();
    private Runnable work;
    private final SerialTerminal tty = new SerialTerminal("ttyS0 (test)", this::sent, runnable -> {
        work = runnable;
        return scheduled::incrementAndGet;
    });

    private synchronized void sent(byte[] bytes) {
        output.writeBytes(bytes);
    }

    private synchronized String sent() {
        return output.toString(StandardCharsets.UTF_8);
    }

    /** What the interrupt handler does with typed bytes, then the deferred work. */
    private void typeAndProcess(String text) {
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            assertTrue(tty.received(b));
        }
        tty.wake();
        work.run();
    }

    private void carrier(boolean detected) {
        tty.carrierChanged(detected);
        tty.wake();
        work.run();
    }

    private static String text(TerminalInput input) {
        return new String(assertInstanceOf(TerminalInput.Line.class, input).bytes(), StandardCharsets.UTF_8);
    }

    private CompletableFuture<TerminalInput> readInBackground() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return tty.read();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void aTypedLineIsReadAndEchoedWithCarriageReturnNewline() throws InterruptedException {
        typeAndProcess("hello\r");
        assertEquals("hello", text(tty.read()));
        assertEquals("hello\r\n", sent());
        assertEquals(1, scheduled.get(), "the handler's wake schedules the deferred work");
    }

    @Test
    void aReaderWaitsForTheLineAndIsWokenByTheDeferredWork() throws Exception {
        CompletableFuture<TerminalInput> read = readInBackground();
        assertThrows(TimeoutException.class, () -> read.get(100, TimeUnit.MILLISECONDS), "no line yet");
        typeAndProcess("ls");
        assertFalse(read.isDone(), "half a line is no input");
        typeAndProcess("\r");
        assertEquals("ls", text(read.get(5, TimeUnit.SECONDS)));
    }

    @Test
    void everyControlCRunsTheInterruptHandlerAfterQueueingTheEventForTheReader() throws InterruptedException {
        List<String> seen = new CopyOnWriteArrayList<>();
        tty.setInterruptHandler(() -> seen.add("INT"));
        typeAndProcess("ab\u0003cd\u0003");
        assertEquals(List.of("INT", "INT"), seen, "one handler run per ^C");
        assertInstanceOf(TerminalInput.Interrupt.class, tty.read(), "the reader still gets the event");
        tty.setInterruptHandler(null);
        typeAndProcess("\u0003");
        assertEquals(2, seen.size(), "no handler, no call");
    }

    @Test
    void linesTypedWhileNobodyReadsAreKeptInOrder() throws InterruptedException {
        typeAndProcess("one\rtwo\r\u0003three\u0004\u0004");
        assertEquals("one", text(tty.read()));
        assertEquals("two", text(tty.read()));
        assertInstanceOf(TerminalInput.Interrupt.class, tty.read());
        assertEquals("three", text(tty.read()));
        assertInstanceOf(TerminalInput.EndOfFile.class, tty.read());
    }

    @Test
    void keptInputIsBoundedAndTheLineBeyondIsRefusedWithABell() throws InterruptedException {
        String line = "x".repeat(1024);
        int fit = SerialTerminal.READY_BYTES / line.length();
        for (int i = 0; i < fit; i++) {
            typeAndProcess(line + "\r");
        }
        int echoed = sent().length();
        typeAndProcess("y\r");
        assertEquals("y\u0007", sent().substring(echoed), "the line stays in the editor and the bell rings");
        for (int i = 0; i < fit; i++) {
            assertEquals(line, text(tty.read()));
        }
        typeAndProcess("\r");
        assertEquals("y", text(tty.read()), "Enter again once the reader caught up");
    }

    @Test
    void keptInputIsBoundedInEntriesToo() throws InterruptedException {
        typeAndProcess("\r".repeat(SerialTerminal.READY_ENTRIES));
        int echoed = sent().length();
        typeAndProcess("\u0003");
        assertEquals("\u0007", sent().substring(echoed), "the 1025th input is refused with a bell");
        assertEquals("", text(tty.read()));
    }

    @Test
    void rawInputBeyondItsCapacityIsRefusedToTheDriver() {
        for (int i = 0; i < SerialTerminal.RAW_CAPACITY; i++) {
            assertTrue(tty.received((byte) 'a'));
        }
        assertFalse(tty.received((byte) 'b'), "the driver counts it dropped");
        tty.carrierChanged(false);
        work.run();
        assertEquals(SerialTerminal.RAW_CAPACITY, sent().length(), "every byte taken was echoed");
        assertTrue(tty.received((byte) 'c'), "room again after the deferred work ran");
    }

    @Test
    void carrierLossDeliversTheLinesBeforeItThenHangupAndDropsTheTypedLine() throws InterruptedException {
        typeAndProcess("done\rhalf");
        carrier(false);
        assertEquals("done", text(tty.read()));
        assertInstanceOf(TerminalInput.Hangup.class, tty.read());
        assertInstanceOf(TerminalInput.Hangup.class, tty.read(), "every read while the carrier is down");
    }

    @Test
    void aPendingReadWakesWithHangup() throws Exception {
        CompletableFuture<TerminalInput> read = readInBackground();
        Thread.sleep(20);
        carrier(false);
        assertInstanceOf(TerminalInput.Hangup.class, read.get(5, TimeUnit.SECONDS));
    }

    @Test
    void whenTheCarrierReturnsReadsWaitForInputAgain() throws Exception {
        carrier(false);
        carrier(true);
        assertInstanceOf(TerminalInput.Hangup.class, tty.read(), "the hangup is still reported once");
        CompletableFuture<TerminalInput> read = readInBackground();
        assertThrows(TimeoutException.class, () -> read.get(100, TimeUnit.MILLISECONDS), "a new session waits");
        typeAndProcess("again\r");
        assertEquals("again", text(read.get(5, TimeUnit.SECONDS)));
    }

    @Test
    void closingWakesReadersWithHangupForGood() throws Exception {
        typeAndProcess("unread\r");
        CompletableFuture<TerminalInput> read = readInBackground();
        read.get(5, TimeUnit.SECONDS);
        CompletableFuture<TerminalInput> next = readInBackground();
        Thread.sleep(20);
        tty.close();
        assertInstanceOf(TerminalInput.Hangup.class, next.get(5, TimeUnit.SECONDS));
        assertInstanceOf(TerminalInput.Hangup.class, tty.read());
    }

    @Test
    void writtenTextIsUtf8WithNewlinesAsCarriageReturnNewline() {
        tty.write("λ ok\nnext\n");
        assertArrayEquals("λ ok\r\nnext\r\n".getBytes(StandardCharsets.UTF_8), output.toByteArray());
    }

    @Test
    void echoCanBeTurnedOff() throws InterruptedException {
        assertTrue(tty.echo(), "on by default");
        tty.setEcho(false);
        typeAndProcess("pw\r");
        assertEquals("pw", text(tty.read()));
        assertEquals("", sent());
        assertFalse(tty.echo());
    }

    @Test
    void deferredWorkWithNothingTakenDoesNothing() {
        work.run();
        assertEquals("", sent());
        assertEquals("ttyS0 (test)", tty.name());
        assertEquals("ttyS0 (test)", tty.toString());
    }

    @Test
    void anInterruptedReaderGetsInterruptedException() throws Exception {
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        Thread reader = Thread.ofPlatform().start(() -> {
            try {
                tty.read();
                outcome.complete(null);
            } catch (InterruptedException e) {
                outcome.complete(e);
            }
        });
        Thread.sleep(20);
        reader.interrupt();
        assertInstanceOf(InterruptedException.class, outcome.get(5, TimeUnit.SECONDS));
    }

    @Test
    void theEchoOfALineIsSentBeforeItsReaderWakes() throws Exception {
        List<String> order = new CopyOnWriteArrayList<>();
        Runnable[] deferred = new Runnable[1];
        SerialTerminal slowLine = new SerialTerminal("ttyS1", bytes -> {
            sleep(50);
            order.add("echo");
        }, runnable -> {
            deferred[0] = runnable;
            return () -> { };
        });
        CompletableFuture<Void> reader = CompletableFuture.runAsync(() -> {
            try {
                slowLine.read();
                order.add("read");
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(20);
        slowLine.received((byte) '\r');
        deferred[0].run();
        reader.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("echo", "read"), order, "found by the telnet end-to-end test: the reader's answer"
                + " came out before the echo");
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
