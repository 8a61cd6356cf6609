package org.astralisp.kernel.tty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.verify;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.astralisp.boot.spi.TerminalInput;
import org.astralisp.machine.Architecture;
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
}
