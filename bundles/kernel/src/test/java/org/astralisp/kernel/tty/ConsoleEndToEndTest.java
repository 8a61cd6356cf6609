package org.astralisp.kernel.tty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.verify;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.astralisp.boot.spi.TerminalInput;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.console.TelnetConsole;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The console on each machine, end to end: the user at the host end of the
 * serial line types, the UART interrupts through the real controller, the
 * driver's handler and the tty's deferred work run on the vCPU, and the reader
 * gets cooked input; what the guest writes comes out at the host end.
 */
@Timeout(60)
class ConsoleEndToEndTest {

    private static String text(TerminalInput input) {
        return new String(assertInstanceOf(TerminalInput.Line.class, input).bytes(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aTypedLineIsReadWithItsEchoAtTheHostEnd(Architecture architecture) throws Exception {
        try (ConsoleOnMachine console = new ConsoleOnMachine(architecture)) {
            console.type("hello\r");
            assertEquals("hello", text(console.read()));
            console.awaitOutput("hello\r\n");
            assertEquals("ttyS0", console.properties.getFirst().get("name"));
            assertTrue(console.terminal.name().startsWith("ttyS0 (ns16550a at 0x"), console.terminal.name());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void backspaceAndKillEditTheLine(Architecture architecture) throws Exception {
        try (ConsoleOnMachine console = new ConsoleOnMachine(architecture)) {
            console.type("hellp\bo\r");
            assertEquals("hello", text(console.read()));
            console.type("junk\u0015ok\u007f\u007fyes\r");
            assertEquals("yes", text(console.read()));
            console.awaitOutput("hellp\b \bo\r\njunk" + "\b \b".repeat(4) + "ok" + "\b \b".repeat(2) + "yes\r\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void controlCIsAnInterrupt(Architecture architecture) throws Exception {
        try (ConsoleOnMachine console = new ConsoleOnMachine(architecture)) {
            console.type("(loop)\u0003");
            assertInstanceOf(TerminalInput.Interrupt.class, console.read());
            console.awaitOutput("(loop)^C\r\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void closingTheHostInputHangsUpAPendingRead(Architecture architecture) throws Exception {
        try (ConsoleOnMachine console = new ConsoleOnMachine(architecture)) {
            console.type("last\r");
            assertEquals("last", text(console.read()));
            CompletableFuture<TerminalInput> pending = console.readLater();
            console.host.endInput();
            assertInstanceOf(TerminalInput.Hangup.class, pending.get(ConsoleOnMachine.WAIT.toMillis(),
                    TimeUnit.MILLISECONDS));
            assertEquals(false, console.component.driver().carrierDetected());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aTenKibibyteWriteArrivesCompleteAndInOrder(Architecture architecture) throws Exception {
        try (ConsoleOnMachine console = new ConsoleOnMachine(architecture)) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; text.length() < 10 * 1024; i++) {
                text.append("line ").append(i).append(" of the ten kibibytes, λ\n");
            }
            long start = System.nanoTime();
            console.terminal.write(text.toString());
            String expected = text.toString().replace("\n", "\r\n");
            console.awaitOutput(expected);
            long micros = (System.nanoTime() - start) / 1000;
            assertEquals(expected, console.output());
            UartStatistics statistics = console.component.driver().statistics();
            assertEquals(0, statistics.droppedOutput());
            System.out.printf("%s: %d bytes written in %d µs, %d UART interrupts%n", architecture,
                    expected.getBytes(StandardCharsets.UTF_8).length, micros, statistics.interrupts());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aHostThatReadsSlowlySlowsTheWriterDownAndLosesNothing(Architecture architecture) throws Exception {
        try (ConsoleOnMachine console = new ConsoleOnMachine(architecture)) {
            StringBuilder text = new StringBuilder();
            for (int i = 0; text.length() < 160 * 1024; i++) {
                text.append("line ").append(i).append(" more than the ring and the host's buffer hold\n");
            }
            String expected = text.toString().replace("\n", "\r\n");
            Thread writer = Thread.ofPlatform().name("monitor").start(() -> console.terminal.write(text.toString()));
            java.io.ByteArrayOutputStream host = new java.io.ByteArrayOutputStream();
            long deadline = System.nanoTime() + 30_000_000_000L;
            while (host.size() < expected.length() && System.nanoTime() < deadline) {
                Thread.sleep(20); // a slow terminal: the guest's 16 KiB ring and the 64 KiB pipe fill meanwhile
                host.writeBytes(console.host.drainOutput());
            }
            writer.join(5_000);
            assertEquals(expected, host.toString(StandardCharsets.UTF_8));
            assertEquals(0, console.component.driver().statistics().droppedOutput(), "the tty dropped nothing");
            assertEquals(0, console.host.droppedOutput(), "the UART never overran the host end");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void deactivationReleasesTheLineAndHangsUpTheReader(Architecture architecture) throws Exception {
        try (ConsoleOnMachine console = new ConsoleOnMachine(architecture)) {
            CompletableFuture<TerminalInput> pending = console.readLater();
            Thread.sleep(20);
            Uart16550Driver driver = console.component.driver();
            console.component.deactivate();
            assertInstanceOf(TerminalInput.Hangup.class, pending.get(ConsoleOnMachine.WAIT.toMillis(),
                    TimeUnit.MILLISECONDS));
            verify(console.registration).unregister();
            long interrupts = driver.statistics().interrupts();
            console.type("ignored\r");
            Thread.sleep(50);
            assertEquals(interrupts, driver.statistics().interrupts(), "no interrupt after the line was released");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aTelnetClientThatLeavesHangsUpAndTheNextOneStartsANewSession(Architecture architecture) throws Exception {
        TelnetConsole telnet = new TelnetConsole(0);
        try (ConsoleOnMachine console = new ConsoleOnMachine(architecture, telnet)) {
            assertEquals(false, console.component.driver().carrierDetected(), "no client yet");
            try (Socket client = connect(telnet)) {
                client.getOutputStream().write("first\r\n".getBytes(StandardCharsets.US_ASCII));
                assertEquals("first", text(console.read()), "CR LF from the client is one Enter");
                assertEquals("first\r\n", new String(client.getInputStream().readNBytes(7), StandardCharsets.US_ASCII),
                        "the echo reached this client");
            }
            assertInstanceOf(TerminalInput.Hangup.class, console.read(), "the client left: carrier lost");
            assertInstanceOf(TerminalInput.Hangup.class, console.read(), "and stays lost");
            try (Socket client = connect(telnet)) {
                client.getOutputStream().write("second\r\0".getBytes(StandardCharsets.US_ASCII));
                assertEquals("second", text(readPastHangups(console)), "a new session");
                console.terminal.write("bye\n");
                byte[] echoAndOutput = client.getInputStream().readNBytes("second\r\nbye\r\n".length());
                assertEquals("second\r\nbye\r\n", new String(echoAndOutput, StandardCharsets.US_ASCII));
            }
        }
    }

    /**
     * The next input that is not a hangup: until the tty has processed the
     * new client's carrier, a read still finds the line hung up.
     */
    private static TerminalInput readPastHangups(ConsoleOnMachine console) throws Exception {
        long deadline = System.nanoTime() + ConsoleOnMachine.WAIT.toNanos();
        TerminalInput input = console.read();
        while (input instanceof TerminalInput.Hangup && System.nanoTime() < deadline) {
            Thread.sleep(1);
            input = console.read();
        }
        return input;
    }

    /** A telnet client, past the server's greeting, once the guest has seen its carrier. */
    private static Socket connect(TelnetConsole telnet) throws Exception {
        Socket client = new Socket(InetAddress.getLoopbackAddress(), telnet.port());
        client.setSoTimeout((int) ConsoleOnMachine.WAIT.toMillis());
        assertEquals(6, client.getInputStream().readNBytes(6).length, "IAC WILL ECHO, IAC WILL SUPPRESS-GO-AHEAD");
        return client;
    }
}
