package org.astralisp.boot.console;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.nio.file.Path;
import org.astralisp.boot.BootedSystem;
import org.astralisp.boot.ConsoleHost;
import org.astralisp.boot.TestImage;
import org.astralisp.boot.monitor.ConsoleInput;
import org.astralisp.boot.spi.Terminal;
import org.astralisp.boot.spi.TerminalInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceRegistration;

/** The monitor's console: the kernel's tty when there is one, the polled UART when there is not. */
class SystemConsoleTest {

    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    /** A tty the test types into: each read takes the next queued input. */
    static final class ScriptedTerminal implements Terminal {
        final BlockingQueue<TerminalInput> input = new LinkedBlockingQueue<>();
        final StringBuilder written = new StringBuilder();
        final List<Boolean> echo = new ArrayList<>();

        @Override
        public String name() {
            return "ttyS0 (scripted)";
        }

        @Override
        public TerminalInput read() throws InterruptedException {
            return input.take();
        }

        @Override
        public synchronized void write(String text) {
            written.append(text);
        }

        @Override
        public void setEcho(boolean on) {
            echo.add(on);
        }
    }

    private BootedSystem boot(String typed) throws Exception {
        TestImage image = TestImage.create(dir, TestImage.SCR_MANIFEST);
        return BootedSystem.boot(image.options(), Instant.now(), new ConsoleHost(
                new ByteArrayInputStream(typed.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true,
                        StandardCharsets.UTF_8), false));
    }

    @Test
    void withoutATtyTheMonitorTalksThroughThePolledUart() throws Exception {
        BootedSystem system = boot("uptime\r\nfrobnicate\n\u0003");
        try {
            assertTrue(system.console().describe().contains("polled"), system.console().describe());
            assertEquals(new ConsoleInput.Line("uptime"), system.console().next());
            assertEquals(new ConsoleInput.Line(""), system.console().next(), "CR LF is two line ends when polled");
            assertEquals(new ConsoleInput.Line("frobnicate"), system.console().next());
            assertInstanceOf(ConsoleInput.Interrupt.class, system.console().next());
            system.console().out().println("héllo");
            assertTrue(system.drainConsole());
            assertTrue(out.toString(StandardCharsets.UTF_8).endsWith("héllo\r\n"), out.toString(StandardCharsets.UTF_8));
        } finally {
            system.shutdown();
        }
    }

    @Test
    void aRegisteredTtyCarriesLinesEventsAndOutputAndGetsTheEchoSetting() throws Exception {
        BootedSystem system = boot("");
        try {
            ScriptedTerminal tty = new ScriptedTerminal();
            system.host().context().registerService(Terminal.class, tty, null);
            tty.input.add(new TerminalInput.Line("machine".getBytes(StandardCharsets.UTF_8)));
            tty.input.add(new TerminalInput.Line(new byte[] {(byte) 0xC3}));
            tty.input.add(new TerminalInput.Interrupt());
            tty.input.add(new TerminalInput.EndOfFile());
            assertEquals(new ConsoleInput.Line("machine"), system.console().next());
            assertEquals(new ConsoleInput.Malformed(
                    "input is not valid UTF-8 (byte 0xC3 at offset 0); line ignored"), system.console().next());
            assertInstanceOf(ConsoleInput.Interrupt.class, system.console().next());
            assertInstanceOf(ConsoleInput.EndOfInput.class, system.console().next());
            assertEquals(List.of(false), tty.echo, "a pipe is not a terminal: no echo");
            system.console().out().println("to the tty");
            assertEquals("to the tty\n", tty.written.toString());
            assertEquals("ttyS0 (scripted)", system.console().describe());
        } finally {
            system.shutdown();
        }
    }

    @Test
    void aHangupFromATtyThatWentAwayIsNotTheEndTheSuccessorIsRead() throws Exception {
        BootedSystem system = boot("");
        try {
            ScriptedTerminal old = new ScriptedTerminal();
            ServiceRegistration<Terminal> registration = system.host().context().registerService(Terminal.class, old, null);
            ScriptedTerminal successor = new ScriptedTerminal();
            successor.input.add(new TerminalInput.Line("bundles".getBytes(StandardCharsets.UTF_8)));
            successor.input.add(new TerminalInput.Hangup());
            Thread swap = Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(50); // the console is blocked reading the old tty
                    // As a DS component goes: the new one registers, the old one's service goes, then its
                    // deactivation wakes its reader with a hangup.
                    system.host().context().registerService(Terminal.class, successor, null);
                    registration.unregister();
                    old.input.add(new TerminalInput.Hangup());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertEquals(new ConsoleInput.Line("bundles"), system.console().next());
            assertInstanceOf(ConsoleInput.EndOfInput.class, system.console().next(),
                    "a hangup from the registered tty ends the console");
            swap.join();
        } finally {
            system.shutdown();
        }
    }

    @Test
    void aHangupOfAHostEndThatReconnectsEndsTheSessionNotTheConsole() throws Exception {
        BootedSystem system = boot("");
        try {
            ScriptedTerminal tty = new ScriptedTerminal();
            system.host().context().registerService(Terminal.class, tty, null);
            SystemConsole telnet = new SystemConsole(system.host().context(), null, java.time.Duration.ZERO, true, true);
            tty.input.add(new TerminalInput.Hangup()); // the client left
            Thread.ofPlatform().start(() -> {
                try {
                    Thread.sleep(100);
                    tty.input.add(new TerminalInput.Line("uptime".getBytes(StandardCharsets.UTF_8)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            long start = System.nanoTime();
            assertEquals(new ConsoleInput.Line("uptime"), telnet.next());
            assertTrue(System.nanoTime() - start >= 90_000_000L, "it waited for the next session");
            assertEquals(List.of(true), tty.echo, "a telnet client's terminal echoes");
            telnet.close();
        } finally {
            system.shutdown();
        }
    }

    @Test
    void lineBytesAreCopiedInAndOut() {
        byte[] bytes = {'o', 'k'};
        TerminalInput.Line line = new TerminalInput.Line(bytes);
        bytes[0] = 'n';
        byte[] read = line.bytes();
        read[1] = '!';
        assertArrayEquals(new byte[] {'o', 'k'}, line.bytes());
    }
}
