package org.astralisp.machine.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code --console pipe:PATH}: the host end on the named pipes PATH.in and PATH.out. */
@Timeout(30)
class NamedPipeConsoleTest {

    @TempDir
    Path dir;
    private Path path;

    @BeforeEach
    void makePipes() throws Exception {
        path = dir.resolve("console");
        Process mkfifo = new ProcessBuilder("mkfifo", path + ".in", path + ".out").inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting for " + what);
            Thread.sleep(2);
        }
    }

    @Test
    void bytesWrittenToTheInPipeReachTheGuestAndTheGuestsOutputComesOutOfTheOutPipe() throws Exception {
        AtomicInteger hooks = new AtomicInteger();
        NamedPipeConsole console = (NamedPipeConsole) ConsoleBackend.forOption("pipe:" + path);
        try {
            console.connect(hooks::incrementAndGet);
            assertFalse(console.carrierDetected(), "nobody writes to the pipe yet: no carrier, no hangup");
            assertTrue(console.reconnects());
            try (OutputStream user = new FileOutputStream(path + ".in");
                    InputStream screen = new FileInputStream(path + ".out")) {
                user.write("ls\r".getBytes(StandardCharsets.US_ASCII));
                user.flush();
                await("the typed bytes", () -> console.input.size() == 3);
                assertTrue(console.carrierDetected());
                assertEquals('l', console.poll());
                assertEquals('s', console.poll());
                assertEquals('\r', console.poll());
                await("the reader's open of the out pipe", () -> {
                    console.transmit((byte) '.');
                    try {
                        return screen.available() > 0;
                    } catch (IOException e) {
                        return false;
                    }
                });
                for (byte b : "ok\r\n".getBytes(StandardCharsets.US_ASCII)) {
                    console.transmit(b);
                }
                StringBuilder shown = new StringBuilder();
                while (!shown.toString().endsWith("ok\r\n")) {
                    shown.append((char) screen.read());
                }
                assertTrue(shown.toString().matches("\\.*ok\r\n"), "in order, after the probes: " + shown);
            }
            await("the hangup when the writer closed", () -> !console.carrierDetected());
            try (OutputStream next = new FileOutputStream(path + ".in")) {
                await("the next session's carrier", console::carrierDetected);
            }
            assertTrue(hooks.get() >= 3, "the UART was told of input and of each carrier change");
        } finally {
            console.close();
        }
    }

    @Test
    void outputWhileNobodyReadsIsDiscardedWithoutBlockingOrFillingTheQueue() throws Exception {
        NamedPipeConsole console = new NamedPipeConsole(path);
        try {
            for (int i = 0; i < 200_000; i++) {
                console.transmit((byte) 'x');
            }
            await("the writer to discard what nobody reads", () -> console.output.size() == 0);
            assertTrue(console.clearToSend());
        } finally {
            console.close();
        }
    }

    @Test
    void missingOrOrdinaryFilesAreRefusedNamingTheFile() throws Exception {
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> ConsoleBackend.forOption("pipe:" + dir.resolve("nothing")));
        assertEquals("--console pipe:" + dir.resolve("nothing") + ": " + dir.resolve("nothing.in")
                + " does not exist (create both pipes with mkfifo " + dir.resolve("nothing") + ".in "
                + dir.resolve("nothing") + ".out)", missing.getMessage());
        Files.writeString(dir.resolve("plain.in"), "");
        Files.writeString(dir.resolve("plain.out"), "");
        IllegalArgumentException plain = assertThrows(IllegalArgumentException.class,
                () -> new NamedPipeConsole(dir.resolve("plain")));
        assertEquals("--console pipe:" + dir.resolve("plain") + ": " + dir.resolve("plain.in")
                + " is not a named pipe (create it with mkfifo)", plain.getMessage());
        assertInstanceOf(IllegalArgumentException.class,
                assertThrows(IllegalArgumentException.class, () -> ConsoleBackend.forOption("pipe:")));
    }
}
