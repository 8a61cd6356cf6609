package org.astralisp.machine.device.uart;

import static org.astralisp.machine.device.uart.Uart16550.IER_DLM;
import static org.astralisp.machine.device.uart.Uart16550.IIR_FCR;
import static org.astralisp.machine.device.uart.Uart16550.LCR;
import static org.astralisp.machine.device.uart.Uart16550.LSR;
import static org.astralisp.machine.device.uart.Uart16550.MCR;
import static org.astralisp.machine.device.uart.Uart16550.MSR;
import static org.astralisp.machine.device.uart.Uart16550.RBR_THR_DLL;
import static org.astralisp.machine.device.uart.Uart16550.SCR;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.astralisp.machine.console.PipeConsole;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.port.MachineCheckException;
import org.astralisp.machine.device.RecordingLine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The 16550A's registers as a driver programs them (PC16550D datasheet), on a pipe back end. */
class Uart16550Test {

    private static final long CLOCK = 1_843_200;
    private static final int FIFO_ON = 0x01;
    private static final int LOOP = 0x10;
    private static final int ALL_INTERRUPTS = 0x0F;

    private final TimerScheduler timers = new TimerScheduler();
    private final PipeConsole pipe = new PipeConsole();
    private final RecordingLine line = new RecordingLine();
    private final Uart16550 uart = Uart16550.create("uart0", CLOCK, pipe, line, timers);

    @AfterEach
    void close() {
        pipe.close();
        timers.close();
    }

    private int read(int offset) {
        return (int) uart.read(offset, 1);
    }

    private void write(int offset, int value) {
        uart.write(offset, 1, value);
    }

    /** A divisor so slow (65535 at 1.8432 MHz: about 5.7 s a character) that no receiver timeout interferes. */
    private void slowLine() {
        write(LCR, 0x83);
        write(RBR_THR_DLL, 0xFF);
        write(IER_DLM, 0xFF);
        write(LCR, 0x03);
    }

    @Test
    void resetStateHasEmptyTransmitterAndNoInterrupt() {
        assertEquals(0x60, read(LSR), "THRE and TEMT");
        assertEquals(0x01, read(IIR_FCR));
        assertEquals(0, read(IER_DLM));
        assertFalse(line.asserted());
    }

    @Test
    void divisorLatchIsReachedOnlyWhileDlabIsSet() {
        write(LCR, 0x83);
        write(RBR_THR_DLL, 0x0C);
        write(IER_DLM, 0x01);
        assertEquals(0x0C, read(RBR_THR_DLL));
        assertEquals(0x01, read(IER_DLM));
        write(LCR, 0x03);
        assertEquals(0, read(IER_DLM), "IER, not DLM");
        assertEquals(0, pipe.drainOutput().length, "writing DLL transmitted nothing");
        write(LCR, 0x83);
        assertEquals(0x010C, read(RBR_THR_DLL) | read(IER_DLM) << 8);
    }

    @Test
    void characterTimeFollowsDivisorAndLineControl() {
        write(LCR, 0x83);
        write(RBR_THR_DLL, 12);
        write(LCR, 0x03);
        // 9600 baud, 8N1: 10 bits of 16 * 12 clocks at 1.8432 MHz.
        assertEquals(1_041_666, uart.characterNanos());
        write(LCR, 0x03 | 0x04 | 0x08);
        assertEquals(1_250_000, uart.characterNanos(), "start, 8 data bits, parity, 2 stop bits: 12 bits");
    }

    @Test
    void transmittedBytesReachTheBackEndInOrder() {
        for (byte b : "hello".getBytes(StandardCharsets.US_ASCII)) {
            write(RBR_THR_DLL, b);
        }
        assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), pipe.drainOutput());
        assertEquals(0x60, read(LSR) & 0x60, "transmitter empty again");
    }

    @Test
    void aHostThatDoesNotKeepUpHoldsBytesInTheTransmitterFifoAndNothingIsLost() {
        write(IIR_FCR, FIFO_ON);
        write(IER_DLM, 0x02); // ETBEI
        int capacity = PipeConsole.CAPACITY;
        java.io.ByteArrayOutputStream sent = new java.io.ByteArrayOutputStream();
        int n = 0;
        // A driver's loop: 16 bytes whenever THRE says the FIFO is empty, until it stays low.
        while ((read(LSR) & 0x20) != 0) {
            for (int i = 0; i < 16; i++, n++) {
                write(RBR_THR_DLL, n & 0x7F);
                sent.write(n & 0x7F);
            }
        }
        assertTrue(n > capacity && n <= capacity + 16, n + " bytes written before the host was full");
        assertEquals(0, read(LSR) & 0x60, "THRE and TEMT low: bytes wait in the transmitter FIFO");
        assertFalse(line.asserted(), "no THRE interrupt while the FIFO holds bytes");
        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        received.writeBytes(pipe.drainOutput()); // the host reads: room again, the FIFO goes out, THRE
        received.writeBytes(pipe.drainOutput());
        assertArrayEquals(sent.toByteArray(), received.toByteArray(), "every byte, in order");
        assertEquals(0x60, read(LSR) & 0x60);
        assertTrue(line.asserted(), "the THRE interrupt once the FIFO has gone out");
        assertEquals(0, pipe.droppedOutput());
    }

    @Test
    void resettingTheTransmitterFifoEmptiesIt() {
        for (int i = 0; i < PipeConsole.CAPACITY; i++) {
            write(RBR_THR_DLL, 'x');
        }
        write(IIR_FCR, FIFO_ON);
        write(RBR_THR_DLL, 'y');
        assertEquals(0, read(LSR) & 0x20, "the host is full: y waits");
        write(IIR_FCR, FIFO_ON | 0x04);
        assertEquals(0x60, read(LSR) & 0x60, "FCR bit 2 threw y away");
        assertEquals(PipeConsole.CAPACITY, pipe.drainOutput().length);
        assertEquals(0, pipe.drainOutput().length, "y never went out");
    }

    @Test
    void hostInputSetsDataReadyAndIsReadFromRbr() throws InterruptedException {
        pipe.feed("a");
        assertEquals(0x01, read(LSR) & 0x01);
        assertEquals('a', read(RBR_THR_DLL));
        assertEquals(0, read(LSR) & 0x01);
    }

    @Test
    void hostInputBeyondTheFifoWaitsInsteadOfOverrunning() throws InterruptedException {
        write(IIR_FCR, FIFO_ON);
        byte[] input = new byte[40];
        for (int i = 0; i < input.length; i++) {
            input[i] = (byte) ('0' + i);
        }
        pipe.feed(input);
        byte[] received = new byte[input.length];
        for (int i = 0; i < input.length; i++) {
            assertEquals(0x01, read(LSR) & 0x03, "data ready, no overrun, at byte " + i);
            received[i] = (byte) read(RBR_THR_DLL);
        }
        assertArrayEquals(input, received);
    }

    @Test
    void loopbackOverrunsWhenTheReceiveFifoIsFull() {
        write(IIR_FCR, FIFO_ON);
        write(MCR, LOOP);
        for (int i = 0; i < 17; i++) {
            write(RBR_THR_DLL, 'A' + i);
        }
        assertEquals(0x63, read(LSR), "DR, OE, THRE, TEMT");
        assertEquals(0x61, read(LSR), "reading LSR cleared OE");
        for (int i = 0; i < 16; i++) {
            assertEquals('A' + i, read(RBR_THR_DLL), "the FIFO kept its 16 characters");
        }
        assertEquals(0, read(LSR) & 0x01, "the 17th character was lost");
        assertEquals(0, pipe.drainOutput().length, "loopback sends nothing to the host");
    }

    @Test
    void withoutFifosAnOverrunReplacesTheCharacterInRbr() {
        write(MCR, LOOP);
        write(RBR_THR_DLL, 'a');
        write(RBR_THR_DLL, 'b');
        assertEquals(0x02, read(LSR) & 0x02);
        assertEquals('b', read(RBR_THR_DLL));
    }

    @Test
    void hostInputWaitsWhileInLoopbackAndArrivesAfter() throws InterruptedException {
        write(MCR, LOOP);
        pipe.feed("x");
        assertEquals(0, read(LSR) & 0x01);
        write(MCR, 0);
        assertEquals('x', read(RBR_THR_DLL));
    }

    @Test
    void iirShowsTheFifosEnabled() {
        write(IIR_FCR, FIFO_ON);
        assertEquals(0xC1, read(IIR_FCR));
        write(IIR_FCR, 0);
        assertEquals(0x01, read(IIR_FCR));
    }

    @Test
    void receiverFifoResetDiscardsItsContents() {
        write(IIR_FCR, FIFO_ON);
        write(MCR, LOOP);
        write(RBR_THR_DLL, 'a');
        write(IIR_FCR, FIFO_ON | 0x02);
        assertEquals(0, read(LSR) & 0x01);
    }

    @Test
    void receivedDataInterruptFollowsTheTriggerLevel() {
        slowLine();
        write(IIR_FCR, 0x40 | FIFO_ON);
        write(IER_DLM, 0x01);
        write(MCR, LOOP);
        for (int i = 0; i < 3; i++) {
            write(RBR_THR_DLL, i);
        }
        assertEquals(0xC1, read(IIR_FCR), "3 characters, trigger level 4");
        assertFalse(line.asserted());
        write(RBR_THR_DLL, 3);
        assertEquals(0xC4, read(IIR_FCR));
        assertTrue(line.asserted());
        read(RBR_THR_DLL);
        assertEquals(0xC1, read(IIR_FCR), "below the trigger level again");
        assertFalse(line.asserted());
    }

    @Test
    void characterTimeoutReportsCharactersBelowTheTriggerLevel() throws InterruptedException {
        write(IIR_FCR, 0xC0 | FIFO_ON);
        write(IER_DLM, 0x01);
        write(MCR, LOOP);
        write(RBR_THR_DLL, 'z');
        long deadline = System.nanoTime() + 2_000_000_000L;
        while (!line.asserted() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(0xCC, read(IIR_FCR));
        assertEquals('z', read(RBR_THR_DLL));
        assertEquals(0xC1, read(IIR_FCR));
        assertFalse(line.asserted());
    }

    @Test
    void interruptIdentificationFollowsTheDatasheetPriorities() {
        slowLine();
        write(IIR_FCR, FIFO_ON);
        write(MCR, LOOP);
        for (int i = 0; i < 17; i++) {
            write(RBR_THR_DLL, i);
        }
        write(IER_DLM, ALL_INTERRUPTS);
        assertEquals(0xC6, read(IIR_FCR), "receiver line status first");
        read(LSR);
        assertEquals(0xC4, read(IIR_FCR), "then received data");
        for (int i = 0; i < 16; i++) {
            read(RBR_THR_DLL);
        }
        assertEquals(0xC2, read(IIR_FCR), "then THR empty, which this read clears");
        assertEquals(0xC0, read(IIR_FCR), "then modem status: entering loopback changed CTS, DSR, DCD");
        assertTrue(line.asserted());
        assertEquals(0x0B, read(MSR) & 0x0F, "DCTS, DDSR, DDCD");
        assertEquals(0xC1, read(IIR_FCR));
        assertFalse(line.asserted());
    }

    @Test
    void enablingThrEmptyInterruptRaisesItAndWritingThrRaisesItAgain() {
        write(IER_DLM, 0x02);
        assertTrue(line.asserted(), "THR is empty when ETBEI is enabled");
        assertEquals(0x02, read(IIR_FCR));
        assertFalse(line.asserted(), "reading IIR cleared it");
        write(RBR_THR_DLL, 'q');
        assertTrue(line.asserted(), "the character left THR at once");
        assertEquals(2, line.raises());
    }

    @Test
    void interruptIsNotRaisedWhileItsEnableBitIsClear() throws InterruptedException {
        pipe.feed("a");
        assertEquals(0x01, read(IIR_FCR));
        assertFalse(line.asserted());
        write(IER_DLM, 0x01);
        assertTrue(line.asserted());
    }

    @Test
    void loopbackModemStatusMirrorsTheModemControlOutputs() {
        write(MCR, LOOP | 0x0F);
        assertEquals(0xF0, read(MSR) & 0xF0, "CTS=RTS, DSR=DTR, RI=OUT1, DCD=OUT2");
        write(MCR, LOOP | 0x0B);
        assertEquals(0x04, read(MSR) & 0x04, "TERI: RI went from 1 to 0");
        write(MCR, 0);
        assertEquals(0xB0, read(MSR) & 0xF0, "outside loopback the host is ready");
    }

    @Test
    void scratchRegisterHoldsAByte() {
        write(SCR, 0x5A);
        assertEquals(0x5A, read(SCR));
    }

    @Test
    void lineAndModemControlReadBackAsWritten() {
        write(LCR, 0x1B);
        write(MCR, 0xFF);
        assertEquals(0x1B, read(LCR));
        assertEquals(0x1F, read(MCR), "MCR bits 7:5 are 0");
    }

    @Test
    void refusesWordAccessOffsetsBeyondScrAndWritesToStatusRegisters() {
        assertThrows(MachineCheckException.class, () -> uart.read(0, 4));
        assertThrows(MachineCheckException.class, () -> uart.read(8, 1));
        assertThrows(MachineCheckException.class, () -> uart.write(LSR, 1, 0));
        assertThrows(MachineCheckException.class, () -> uart.write(MSR, 1, 0));
        assertEquals("uart0", uart.name());
        assertEquals(0x100, uart.size());
    }

    @Test
    void aBackEndServesOneUart() {
        assertThrows(IllegalStateException.class, () -> Uart16550.create("uart1", CLOCK, pipe, line, timers));
    }

    @Test
    void hostEndGoingAwayDropsDcdAndDsrWithAModemStatusInterruptAfterTheData() throws InterruptedException {
        write(IER_DLM, 0x09);
        pipe.feed("x");
        pipe.endInput();
        assertEquals(0x04, read(IIR_FCR), "the byte already in RBR comes first (Table IV priorities)");
        assertEquals('x', read(RBR_THR_DLL));
        assertTrue(line.asserted(), "modem status interrupt");
        assertEquals(0x00, read(IIR_FCR), "IIR: modem status");
        assertEquals(0x10 | 0x08 | 0x02, read(MSR), "CTS only; DDCD and DDSR");
        assertFalse(line.asserted(), "reading MSR cleared it");
        assertEquals(0x10, read(MSR), "deltas read once");
    }

    @Test
    void carrierStaysUpUntilTheUartHasTakenEveryByteTheHostSent() throws InterruptedException {
        slowLine();
        write(IIR_FCR, FIFO_ON);
        pipe.feed(new byte[20]);
        pipe.endInput();
        for (int i = 0; i < 4; i++) {
            assertEquals(0xB0, read(MSR), "4 - " + i + " bytes still wait in the back end");
            read(RBR_THR_DLL);
        }
        assertEquals(0x1A, read(MSR), "the last byte moved into the FIFO: the carrier dropped");
        assertEquals(0x01, read(LSR) & 0x01, "and the FIFO still holds the data");
    }

    @Test
    void hangupWithNothingQueuedIsSeenAtOnce() {
        write(IER_DLM, 0x08);
        pipe.endInput();
        assertTrue(line.asserted());
        assertEquals(0x1A, read(MSR));
    }

    @Test
    void loopbackHidesTheCarrierAndLeavingItReportsTheChange() {
        write(MCR, LOOP | 0x0B);
        read(MSR);
        pipe.endInput();
        assertEquals(0xB0, read(MSR), "loopback: DCD = OUT2, DSR = DTR, CTS = RTS, no delta");
        write(MCR, 0x0B);
        assertEquals(0x10 | 0x0A, read(MSR), "back on the line: no carrier, DDSR and DDCD");
    }
}
