package org.astralisp.kernel.tty;

import static org.astralisp.kernel.tty.Uart16550Driver.IER;
import static org.astralisp.kernel.tty.Uart16550Driver.IIR_FCR;
import static org.astralisp.kernel.tty.Uart16550Driver.LCR;
import static org.astralisp.kernel.tty.Uart16550Driver.LSR;
import static org.astralisp.kernel.tty.Uart16550Driver.MCR;
import static org.astralisp.kernel.tty.Uart16550Driver.RBR_THR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.astralisp.hal.api.devicetree.AddressRange;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.MachineConfig;
import org.astralisp.machine.console.PipeConsole;
import org.astralisp.machine.console.TelnetConsole;
import org.astralisp.machine.port.Mmio;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The driver on the machine's real 16550A model (riscv64: 3.6864 MHz clock),
 * with the host end a pipe. No interrupt framework: the test calls the handler
 * itself, as the vCPU would when the line is asserted.
 */
@Timeout(30)
class Uart16550DriverTest {

    private final PipeConsole pipe = new PipeConsole();
    private final Machine machine = Machine.create(
            new MachineConfig(Architecture.RISCV64, 1, Machines.RAM, "", pipe));
    private final Mmio uart;
    private final Receiver receiver = new Receiver();
    private final Uart16550Driver driver;

    Uart16550DriverTest() throws Exception {
        ConsoleUartNode node = ConsoleUartNode.fromStdoutPath(Machines.deviceTree(machine));
        AddressRange reg = node.registers();
        uart = machine.mmio().map(reg.address(), reg.size());
        driver = new Uart16550Driver(uart, node.regShift(), node.clockHz(), receiver);
    }

    @AfterEach
    void powerOff() {
        machine.close();
    }

    /** The receive side, recording what the handler hands over. */
    static final class Receiver implements SerialReceiver {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Boolean> carrier = new ArrayList<>();
        int wakes;
        boolean full;

        @Override
        public boolean received(byte b) {
            if (full) {
                return false;
            }
            bytes.write(b);
            return true;
        }

        @Override
        public void carrierChanged(boolean detected) {
            carrier.add(detected);
        }

        @Override
        public void wake() {
            wakes++;
        }
    }

    private void start() {
        driver.initialize();
        driver.enableInterrupts();
    }

    /**
     * Runs the handler, which reads IIR until the UART has nothing more to
     * say. (The test must not read IIR itself: that read clears a THRE
     * interrupt, datasheet Table IV.)
     */
    private void takeInterrupts() {
        driver.handleInterrupt();
    }

    private void awaitReceived(int count) throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (receiver.bytes.size() < count && System.nanoTime() < deadline) {
            takeInterrupts();
            Thread.sleep(1);
        }
        assertEquals(count, receiver.bytes.size(), "bytes received within 5 s");
    }

    @Test
    void programs115200BaudEightNoneOneWithFifosAndModemControl() {
        driver.initialize();
        assertEquals(0x03, uart.read8(LCR), "8N1, DLAB clear");
        uart.write8(LCR, 0x83);
        assertEquals(2, uart.read8(0) | uart.read8(1) << 8, "3686400 / (16 × 115200)");
        uart.write8(LCR, 0x03);
        assertEquals(0xC0, uart.read8(IIR_FCR) & 0xC0, "FIFOs enabled");
        assertEquals(0x0B, uart.read8(MCR), "DTR, RTS, OUT2");
        assertEquals(0, uart.read8(IER), "interrupts off until enableInterrupts");
        assertEquals(16, driver.transmitBurst());
        assertTrue(driver.carrierDetected(), "the pipe's host end is there");
    }

    @Test
    void divisorsForTheBoardsClocksAndRefusedClocks() {
        assertEquals(1, Uart16550Driver.divisor(1_843_200));
        assertEquals(2, Uart16550Driver.divisor(3_686_400));
        assertEquals(13, Uart16550Driver.divisor(24_000_000), "24 MHz: 115384 baud, 0.16 % off");
        IllegalArgumentException slow = assertThrows(IllegalArgumentException.class,
                () -> Uart16550Driver.divisor(1_000_000));
        assertTrue(slow.getMessage().contains("1000000 Hz"), slow.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Uart16550Driver.divisor(2_800_000),
                "divisor 2 gives 87500 baud");
        assertThrows(IllegalArgumentException.class, () -> Uart16550Driver.divisor(1L << 40));
    }

    @Test
    void refusesARegShiftOutOfRangeAndAWindowTooSmall() {
        assertThrows(IllegalArgumentException.class, () -> new Uart16550Driver(uart, 4, 1_843_200, receiver));
        IllegalArgumentException small = assertThrows(IllegalArgumentException.class,
                () -> new Uart16550Driver(uart, 6, 1_843_200, receiver));
        assertTrue(small.getMessage().contains("reg-shift 6"), small.getMessage());
        Mmio eightBytes = new ShiftedWindow(uart, 0, 8);
        assertThrows(IllegalArgumentException.class, () -> new Uart16550Driver(eightBytes, 1, 1_843_200, receiver));
    }

    @Test
    void receivedBytesGoToTheReceiverAndWakeItOncePerInterrupt() throws InterruptedException {
        start();
        pipe.feed("hi");
        awaitReceived(2);
        assertEquals("hi", receiver.bytes.toString(StandardCharsets.US_ASCII));
        assertTrue(receiver.wakes >= 1);
        assertEquals(2, driver.statistics().received());
    }

    @Test
    void writesGoOutInOrderThroughTheThrEmptyInterruptWhichIsThenTurnedOff() throws InterruptedException {
        start();
        takeInterrupts();
        assertEquals(0x0D, uart.read8(IER), "THRE off while there is nothing to send");
        driver.write("hello, world".getBytes(StandardCharsets.US_ASCII));
        assertEquals(0x0F, uart.read8(IER), "the write kicked the transmitter");
        takeInterrupts();
        assertEquals("hello, world", new String(pipe.readOutput(Duration.ofSeconds(1)), StandardCharsets.US_ASCII));
        assertEquals(0x0D, uart.read8(IER), "THRE off again once the ring is empty");
        assertEquals(12, driver.statistics().transmitted());
        assertEquals(0, driver.pendingOutput());
    }

    @Test
    void writesBeforeInterruptsAreEnabledWaitInTheRing() {
        driver.initialize();
        driver.write("early".getBytes(StandardCharsets.US_ASCII));
        assertEquals(5, driver.pendingOutput());
        assertEquals(0, pipe.drainOutput().length);
        driver.enableInterrupts();
        takeInterrupts();
        assertArrayEquals("early".getBytes(StandardCharsets.US_ASCII), pipe.drainOutput());
    }

    @Test
    void aWriterThatFillsTheRingEmptiesItByPollingAndNothingIsLostOrReordered() {
        start();
        byte[] big = new byte[Uart16550Driver.TRANSMIT_RING * 2 + 123];
        new Random(5).nextBytes(big);
        driver.write(big);
        takeInterrupts();
        assertArrayEquals(big, pipe.drainOutput());
        assertEquals(0, driver.statistics().droppedOutput());
    }

    @Test
    void lineErrorsAreCounted() {
        start();
        uart.write8(MCR, 0x1B);
        for (int i = 0; i < 17; i++) {
            uart.write8(RBR_THR, 'o');
        }
        takeInterrupts();
        assertEquals(1, driver.statistics().overruns(), "loopback: the 17th character overran the FIFO");
        assertEquals(16, receiver.bytes.size());
    }

    @Test
    void bytesTheReceiverRefusesAreCountedDropped() throws InterruptedException {
        start();
        receiver.full = true;
        pipe.feed("xyz");
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (driver.statistics().droppedInput() < 3 && System.nanoTime() < deadline) {
            takeInterrupts();
            Thread.sleep(1);
        }
        assertEquals(3, driver.statistics().droppedInput());
        assertEquals(0, receiver.wakes, "nothing delivered, nothing to wake for");
    }

    @Test
    void carrierLossIsReportedFromTheModemStatusInterrupt() {
        start();
        takeInterrupts();
        pipe.endInput();
        takeInterrupts();
        assertEquals(List.of(false), receiver.carrier);
        assertFalse(driver.carrierDetected());
        assertEquals(1, driver.statistics().carrierChanges());
        assertTrue(driver.statistics().interrupts() >= 1);
    }

    @Test
    void aCarrierLostBeforeTheDriverStartedIsAHangupAfterTheInputAlreadyThere() throws InterruptedException {
        pipe.feed("ls");
        pipe.endInput(); // the host's input ended during boot: DDCD set, DCD low when the driver looks
        start();
        awaitReceived(2);
        takeInterrupts();
        assertEquals(List.of(false), receiver.carrier, "one loss, reported once");
        assertEquals("ls", receiver.bytes.toString());
        assertEquals(1, driver.statistics().carrierChanges());
    }

    @Test
    void aCarrierThatWasNeverThereAtStartIsNoHangup() throws Exception {
        try (TelnetConsole telnet = new TelnetConsole(0);
                Machine waiting = Machine.create(new MachineConfig(Architecture.RISCV64, 1, Machines.RAM, "", telnet))) {
            ConsoleUartNode node = ConsoleUartNode.fromStdoutPath(Machines.deviceTree(waiting));
            Uart16550Driver noClient = new Uart16550Driver(waiting.mmio().map(node.registers().address(),
                    node.registers().size()), node.regShift(), node.clockHz(), receiver);
            noClient.initialize();
            noClient.enableInterrupts();
            noClient.handleInterrupt();
            assertEquals(List.of(), receiver.carrier, "no client yet: wait for one");
            assertFalse(noClient.carrierDetected());
        }
    }

    @Test
    void registersAreRegShiftApart() {
        ShiftedWindow spread = new ShiftedWindow(uart, 2, 0x100 << 2);
        Uart16550Driver shifted = new Uart16550Driver(spread, 2, 1_843_200, receiver);
        shifted.initialize();
        assertEquals(0x03, uart.read8(LCR), "LCR reached at offset 3 << 2");
        assertTrue(spread.offsets.stream().allMatch(offset -> offset % 4 == 0), "offsets " + spread.offsets);
        assertEquals(0x60, uart.read8(LSR) & 0x60, "the transmitter is idle");
    }

    @Test
    void disablingInterruptsClearsIer() {
        start();
        driver.disableInterrupts();
        assertEquals(0, uart.read8(IER));
    }

    @Test
    void theHandlerEndsOnAnyRegisterContentsWithoutThrowing() {
        Random random = new Random(42);
        for (int run = 0; run < 2000; run++) {
            Uart16550Driver fuzzed = new Uart16550Driver(new NoiseWindow(random), 0, 1_843_200, new Receiver());
            fuzzed.initialize();
            fuzzed.enableInterrupts();
            fuzzed.write(new byte[random.nextInt(40)]);
            fuzzed.handleInterrupt();
            assertTrue(fuzzed.statistics().interrupts() == 1);
        }
    }

    /** A window whose register {@code n} is the real UART's register {@code n >> shift}, recording offsets. */
    static final class ShiftedWindow implements Mmio {
        private final Mmio real;
        private final int shift;
        private final long size;
        final List<Long> offsets = new ArrayList<>();

        ShiftedWindow(Mmio real, int shift, long size) {
            this.real = real;
            this.shift = shift;
            this.size = size;
        }

        @Override
        public long base() {
            return real.base();
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int read8(long offset) {
            offsets.add(offset);
            return real.read8(offset >> shift);
        }

        @Override
        public void write8(long offset, int value) {
            offsets.add(offset);
            real.write8(offset >> shift, value);
        }

        @Override
        public int read16(long offset) {
            throw new AssertionError("16-bit read");
        }

        @Override
        public int read32(long offset) {
            throw new AssertionError("32-bit read");
        }

        @Override
        public long read64(long offset) {
            throw new AssertionError("64-bit read");
        }

        @Override
        public void write16(long offset, int value) {
            throw new AssertionError("16-bit write");
        }

        @Override
        public void write32(long offset, int value) {
            throw new AssertionError("32-bit write");
        }

        @Override
        public void write64(long offset, long value) {
            throw new AssertionError("64-bit write");
        }
    }

    /** A device whose registers read random bytes and ignore writes: a broken or hostile UART. */
    static final class NoiseWindow implements Mmio {
        private final Random random;

        NoiseWindow(Random random) {
            this.random = random;
        }

        @Override
        public long base() {
            return 0;
        }

        @Override
        public long size() {
            return 0x100;
        }

        @Override
        public int read8(long offset) {
            return random.nextInt(256);
        }

        @Override
        public void write8(long offset, int value) {
            // A write to a noise source changes nothing.
        }

        @Override
        public int read16(long offset) {
            throw new AssertionError("16-bit read");
        }

        @Override
        public int read32(long offset) {
            throw new AssertionError("32-bit read");
        }

        @Override
        public long read64(long offset) {
            throw new AssertionError("64-bit read");
        }

        @Override
        public void write16(long offset, int value) {
            throw new AssertionError("16-bit write");
        }

        @Override
        public void write32(long offset, int value) {
            throw new AssertionError("32-bit write");
        }

        @Override
        public void write64(long offset, long value) {
            throw new AssertionError("64-bit write");
        }
    }
}
