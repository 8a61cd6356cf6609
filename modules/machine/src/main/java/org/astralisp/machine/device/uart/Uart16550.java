package org.astralisp.machine.device.uart;

import java.util.ArrayDeque;
import java.util.Objects;
import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.console.ConsoleBackend;
import org.astralisp.machine.irq.Alarm;
import org.astralisp.machine.irq.RegisterFaults;
import org.astralisp.machine.irq.TimerScheduler;
import org.astralisp.machine.port.IrqLine;

/**
 * A National Semiconductor / TI PC16550D ("16550A") UART with its 16-byte
 * FIFOs, as the {@code ns16550a} node of the device tree describes it:
 * registers one byte apart ({@code reg-shift} 0), byte access only, in a
 * 256-byte window of which offsets 0..7 decode (datasheet Table II):
 *
 * <pre>
 * 0 RBR (read) / THR (write); DLL while LCR.DLAB
 * 1 IER: 0 ERBFI, 1 ETBEI, 2 ELSI, 3 EDSSI;          DLM while LCR.DLAB
 * 2 IIR (read): 0 no interrupt pending (1 = none), 3:1 source, 7:6 FIFOs enabled
 *   FCR (write): 0 FIFO enable, 1 receiver FIFO reset, 2 transmitter FIFO reset, 7:6 trigger 1/4/8/14
 * 3 LCR: 1:0 word length, 2 stop bits, 3 parity enable, 4 even, 5 stick, 6 break, 7 DLAB
 * 4 MCR: 0 DTR, 1 RTS, 2 OUT1, 3 OUT2, 4 LOOP
 * 5 LSR: 0 DR, 1 OE, 2 PE, 3 FE, 4 BI, 5 THRE, 6 TEMT, 7 error in receiver FIFO
 * 6 MSR: 0 DCTS, 1 DDSR, 2 TERI, 3 DDCD, 4 CTS, 5 DSR, 6 RI, 7 DCD
 * 7 SCR
 * </pre>
 *
 * <p>Interrupts (datasheet Table IV, highest priority first), each only while
 * its IER bit is set: receiver line status (IIR 0x6; an overrun; cleared by
 * reading LSR), received data available (0x4; the receive FIFO at or above the
 * trigger level, or any character without FIFOs; cleared when it falls below),
 * character timeout (0xC; FIFOs on, characters below the trigger level and
 * none received or read for four character times; cleared by reading RBR),
 * transmitter holding register empty (0x2; cleared by reading IIR while it is
 * the source, or by writing THR), modem status (0x0; a delta bit of MSR;
 * cleared by reading MSR). With FIFOs enabled IIR bits 7:6 are 11, so a driver
 * reads 0xC1, 0xC6, 0xC4, 0xCC, 0xC2 or 0xC0. The interrupt line is level:
 * asserted exactly while IIR bit 0 is 0. OUT2 does not gate it (a PC routes
 * the interrupt through OUT2; the SoC boards this machine models do not).
 *
 * <p>Transmission takes no line time, but it is flow-controlled by the host: a
 * byte written to THR goes to the back end at once while the back end is
 * clear to send ({@link ConsoleBackend#clearToSend()}), so THRE and TEMT are
 * set again as soon as the write returns. When the host end does not keep up,
 * bytes wait in the transmitter FIFO (16 bytes with FIFOs on, THR alone
 * without), THRE and TEMT are low, and the THRE interrupt comes when the back
 * end has taken them all — CTS flow control, so a slow host slows the guest
 * instead of losing its output. A byte written while the FIFO is full is lost,
 * as on the chip (the driver must look at THRE first). Reception is flow-controlled:
 * the UART pulls from the back end only while the receive FIFO has room, so
 * host input is never overrun; an overrun (LSR.OE) happens in loopback, where
 * the guest's own transmissions fill the receive FIFO. A full FIFO then keeps
 * its contents and the new character is lost; without FIFOs the new character
 * replaces the one in RBR. The divisor latch and LCR set only the character
 * time that times out the receiver; no data is lost or garbled by a bad rate.
 * In loopback (MCR.LOOP) the transmitter feeds the receiver, host input waits,
 * and MSR reads the modem-control outputs (CTS = RTS, DSR = DTR, RI = OUT1,
 * DCD = OUT2), with delta bits on their changes. Outside loopback CTS is
 * always set (receive is paced by the back end, not by CTS) and DSR and DCD
 * follow the back end's carrier ({@link ConsoleBackend#carrierDetected()}):
 * when the host end goes away they drop, DDSR and DDCD are set and the modem
 * status interrupt is raised (datasheet MSR description and Table IV), as a
 * modem reports a lost carrier; when a host end connects they rise again.
 *
 * <p>Locking: all state is guarded by this object's monitor. Three kinds of
 * thread enter: vCPU threads (registers), the back end's thread (new input),
 * the machine's timer thread (character timeout). The interrupt line is raised
 * or lowered under the monitor, so its level always matches the state
 * (lock order: UART, then interrupt controller; controllers never call
 * devices). The back end is polled under the monitor; back ends never hold
 * their own locks while they call the UART.
 */
public final class Uart16550 implements MmioDevice {

    /** The register window the boards give the UART. */
    public static final long SIZE = 0x100;

    static final int RBR_THR_DLL = 0;
    static final int IER_DLM = 1;
    static final int IIR_FCR = 2;
    static final int LCR = 3;
    static final int MCR = 4;
    static final int LSR = 5;
    static final int MSR = 6;
    static final int SCR = 7;

    static final int IER_RECEIVED_DATA = 0x01;
    static final int IER_THR_EMPTY = 0x02;
    static final int IER_LINE_STATUS = 0x04;
    static final int IER_MODEM_STATUS = 0x08;

    static final int IIR_NONE = 0x01;
    static final int IIR_LINE_STATUS = 0x06;
    static final int IIR_RECEIVED_DATA = 0x04;
    static final int IIR_TIMEOUT = 0x0C;
    static final int IIR_THR_EMPTY = 0x02;
    static final int IIR_MODEM_STATUS = 0x00;
    static final int IIR_FIFOS_ENABLED = 0xC0;

    static final int FCR_ENABLE = 0x01;
    static final int FCR_RECEIVER_RESET = 0x02;
    static final int FCR_TRANSMITTER_RESET = 0x04;
    static final int LCR_DLAB = 0x80;
    static final int MCR_LOOP = 0x10;

    static final int LSR_DATA_READY = 0x01;
    static final int LSR_OVERRUN = 0x02;
    static final int LSR_THR_EMPTY = 0x20;
    static final int LSR_TRANSMITTER_EMPTY = 0x40;

    /** CTS, DSR and DCD: a host end that is there, outside loopback. */
    static final int MSR_MODEM_READY = 0xB0;
    /** CTS alone: the host end went away (no carrier, no data set ready). */
    static final int MSR_NO_CARRIER = 0x10;
    private static final int MSR_RI = 0x40;
    private static final int MSR_DELTAS = 0x0F;
    private static final int MSR_TRAILING_EDGE_RI = 0x04;
    private static final int[] TRIGGER_LEVELS = {1, 4, 8, 14};
    private static final int TIMEOUT_CHARACTERS = 4;

    private final String name;
    private final long clockHz;
    private final ConsoleBackend backend;
    private final IrqLine irq;
    private final Alarm timeout;
    private final ReceiveFifo receiver = new ReceiveFifo();
    /** Bytes written to THR that the back end was not clear to take yet (the transmitter FIFO). */
    private final ArrayDeque<Byte> transmitter = new ArrayDeque<>();

    private int ier;
    private int lcr;
    private int mcr;
    private int lineErrors;
    private int modemDeltas;
    private int modemInputs;
    private int scratch;
    private int divisor;
    private boolean fifosEnabled;
    private int triggerLevel = 1;
    private boolean thrEmptyInterrupt;
    private boolean timedOut;
    private boolean lineAsserted;

    private Uart16550(String name, long clockHz, ConsoleBackend backend, IrqLine irq, TimerScheduler timers) {
        this.name = Objects.requireNonNull(name, "name");
        if (clockHz <= 0) {
            throw new IllegalArgumentException(name + ": clock " + clockHz + " Hz is not positive");
        }
        this.clockHz = clockHz;
        this.backend = Objects.requireNonNull(backend, "backend");
        this.irq = Objects.requireNonNull(irq, "irq");
        this.timeout = timers.alarm(this::checkTimeout);
        this.modemInputs = modemInputs(0);
    }

    /**
     * A UART in its reset state (everything 0, FIFOs off, transmitter empty)
     * clocked at {@code clockHz}, connected to {@code backend} and driving
     * {@code irq}, keeping its receiver timeout on {@code timers}.
     */
    public static Uart16550 create(String name, long clockHz, ConsoleBackend backend, IrqLine irq,
            TimerScheduler timers) {
        Uart16550 uart = new Uart16550(name, clockHz, backend, irq, timers);
        backend.connect(uart::pullInput);
        return uart;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long size() {
        return SIZE;
    }

    @Override
    public synchronized long read(long offset, int width) {
        checkAccess(false, offset, width);
        int value = switch ((int) offset) {
            case RBR_THR_DLL -> dlab() ? divisor & 0xFF : readReceiver();
            case IER_DLM -> dlab() ? divisor >>> 8 : ier;
            case IIR_FCR -> readInterruptIdentification();
            case LCR -> lcr;
            case MCR -> mcr;
            case LSR -> readLineStatus();
            case MSR -> readModemStatus();
            default -> scratch;
        };
        updateLine();
        return value;
    }

    @Override
    public synchronized void write(long offset, int width, long value) {
        checkAccess(true, offset, width);
        int b = (int) (value & 0xFF);
        switch ((int) offset) {
            case RBR_THR_DLL -> {
                if (dlab()) {
                    divisor = (divisor & 0xFF00) | b;
                } else {
                    transmit((byte) b);
                }
            }
            case IER_DLM -> {
                if (dlab()) {
                    divisor = (divisor & 0x00FF) | (b << 8);
                } else {
                    writeInterruptEnable(b);
                }
            }
            case IIR_FCR -> writeFifoControl(b);
            case LCR -> lcr = b;
            case MCR -> writeModemControl(b);
            case LSR -> throw RegisterFaults.readOnly(name, offset, width, "LSR");
            case MSR -> throw RegisterFaults.readOnly(name, offset, width, "MSR");
            default -> scratch = b;
        }
        updateLine();
    }

    /** The back end's hook: input is waiting, room for output is back, or the host end came or went. */
    private synchronized void pullInput() {
        if (!loopback()) {
            receiveFromHost();
            sendToHost();
        }
        sampleModemInputs();
        updateLine();
    }

    private void checkAccess(boolean write, long offset, int width) {
        if (width != 1) {
            throw RegisterFaults.badWidth(name, write, offset, width, "16550 registers are single bytes (reg-shift 0)");
        }
        if (offset < 0 || offset > SCR) {
            throw RegisterFaults.noRegister(name, write, offset, width);
        }
    }

    private boolean dlab() {
        return (lcr & LCR_DLAB) != 0;
    }

    private boolean loopback() {
        return (mcr & MCR_LOOP) != 0;
    }

    private int readReceiver() {
        int b = receiver.pop();
        timedOut = false;
        if (!loopback()) {
            receiveFromHost();
        }
        restartTimeout();
        return b;
    }

    private int readInterruptIdentification() {
        int identification = interruptIdentification();
        if (identification == IIR_THR_EMPTY) {
            // Datasheet Table IV: reading IIR while THRE is the source clears it.
            thrEmptyInterrupt = false;
        }
        return identification | (fifosEnabled ? IIR_FIFOS_ENABLED : 0);
    }

    private int readLineStatus() {
        int status = lineErrors | (transmitter.isEmpty() ? LSR_THR_EMPTY | LSR_TRANSMITTER_EMPTY : 0);
        if (!receiver.isEmpty()) {
            status |= LSR_DATA_READY;
        }
        lineErrors = 0;
        return status;
    }

    private int readModemStatus() {
        sampleModemInputs();
        int status = modemDeltas | modemInputs;
        modemDeltas = 0;
        return status;
    }

    /**
     * MSR bits 7:4 with the modem-control register {@code modemControl}: in
     * loopback its outputs looped back (CTS = RTS, DSR = DTR, RI = OUT1,
     * DCD = OUT2), otherwise CTS and the back end's carrier on DSR and DCD.
     */
    private int modemInputs(int modemControl) {
        if ((modemControl & MCR_LOOP) == 0) {
            return backend.carrierDetected() ? MSR_MODEM_READY : MSR_NO_CARRIER;
        }
        return ((modemControl & 0x02) << 3) // RTS -> CTS
                | ((modemControl & 0x01) << 5) // DTR -> DSR
                | ((modemControl & 0x04) << 4) // OUT1 -> RI
                | ((modemControl & 0x08) << 4); // OUT2 -> DCD
    }

    /**
     * Looks at the modem inputs again and records each change in the delta
     * bits 3:0 (datasheet MSR: DCTS, DDSR, DDCD on any change; TERI only when
     * RI goes from on to off), which raise the modem status interrupt.
     */
    private void sampleModemInputs() {
        int now = modemInputs(mcr);
        int changed = (modemInputs ^ now) >>> 4;
        modemDeltas |= changed & ~MSR_TRAILING_EDGE_RI;
        if ((modemInputs & MSR_RI) != 0 && (now & MSR_RI) == 0) {
            modemDeltas |= MSR_TRAILING_EDGE_RI;
        }
        modemInputs = now;
    }

    private void writeInterruptEnable(int b) {
        int enabled = b & 0x0F;
        if ((enabled & IER_THR_EMPTY) != 0 && (ier & IER_THR_EMPTY) == 0 && transmitter.isEmpty()) {
            // Enabling ETBEI while THR is empty raises the THRE interrupt.
            thrEmptyInterrupt = true;
        }
        ier = enabled;
    }

    private void writeFifoControl(int b) {
        boolean enable = (b & FCR_ENABLE) != 0;
        if ((enable != fifosEnabled || (b & FCR_TRANSMITTER_RESET) != 0) && !transmitter.isEmpty()) {
            // Resetting the transmitter FIFO (FCR[2], or FCR[0] changing) empties THR: THRE.
            transmitter.clear();
            thrEmptyInterrupt = true;
        }
        if (enable != fifosEnabled) {
            // Datasheet: changing FCR[0] resets both FIFOs.
            fifosEnabled = enable;
            receiver.setCapacity(enable ? ReceiveFifo.DEPTH : 1);
        } else if (enable && (b & FCR_RECEIVER_RESET) != 0) {
            receiver.clear();
        }
        if (enable) {
            triggerLevel = TRIGGER_LEVELS[b >>> 6];
        }
        timedOut = false;
        if (!loopback()) {
            receiveFromHost();
        }
        restartTimeout();
    }

    private void writeModemControl(int b) {
        boolean leftLoopback = loopback() && (b & MCR_LOOP) == 0;
        mcr = b & 0x1F;
        if (leftLoopback) {
            receiveFromHost();
            sendToHost();
            restartTimeout();
        }
        sampleModemInputs();
    }

    private void transmit(byte b) {
        if (loopback()) {
            receive(b);
            restartTimeout();
        } else if (transmitter.isEmpty() && backend.clearToSend()) {
            backend.transmit(b);
        } else {
            if (transmitter.size() < transmitterDepth()) {
                transmitter.add(b);
            }
            thrEmptyInterrupt = false; // writing THR clears the THRE interrupt (Table IV); THR is not empty
            return;
        }
        // The character left THR at once: THR is empty again, which is the THRE interrupt.
        thrEmptyInterrupt = true;
    }

    /** The transmitter FIFO's depth: 16 with FIFOs on, THR alone without (datasheet "FIFO Interrupt Mode"). */
    private int transmitterDepth() {
        return fifosEnabled ? ReceiveFifo.DEPTH : 1;
    }

    /** Hands the back end what waits in the transmitter FIFO while it is clear to send; empty again is THRE. */
    private void sendToHost() {
        if (transmitter.isEmpty()) {
            return;
        }
        while (!transmitter.isEmpty() && backend.clearToSend()) {
            backend.transmit(transmitter.poll());
        }
        if (transmitter.isEmpty()) {
            thrEmptyInterrupt = true;
        }
    }

    /** One character into the receiver: into the FIFO, or an overrun if it is full. */
    private void receive(byte b) {
        if (!receiver.isFull()) {
            receiver.push(b);
            return;
        }
        lineErrors |= LSR_OVERRUN;
        if (!fifosEnabled) {
            receiver.replaceNewest(b);
        }
    }

    /** Pulls host input while the receiver has room; the caller checked that the receiver is on the line. */
    private void receiveFromHost() {
        boolean received = false;
        while (!receiver.isFull()) {
            int b = backend.poll();
            if (b < 0) {
                break;
            }
            receiver.push((byte) b);
            received = true;
        }
        if (received) {
            restartTimeout();
            // Taking the last byte of a host end that went away drops the carrier.
            sampleModemInputs();
        }
    }

    /** Re-arms the character timeout: four character times from now, while characters wait below the trigger. */
    private void restartTimeout() {
        if (fifosEnabled && !receiver.isEmpty() && receiver.size() < triggerLevel) {
            timeout.arm(System.nanoTime() + TIMEOUT_CHARACTERS * characterNanos());
        } else {
            timeout.disarm();
        }
    }

    /** Timer thread: the timeout went off. */
    private synchronized void checkTimeout() {
        if (fifosEnabled && !receiver.isEmpty() && receiver.size() < triggerLevel) {
            timedOut = true;
            updateLine();
        }
    }

    /**
     * One character's time on the line at the programmed rate: start bit, 5..8
     * data bits, parity, 1 or 2 stop bits, 16 clocks a bit times the divisor
     * (a divisor of 0, which the datasheet leaves undefined, counts as 1).
     */
    long characterNanos() {
        int bits = 1 + 5 + (lcr & 0x03) + ((lcr & 0x08) != 0 ? 1 : 0) + ((lcr & 0x04) != 0 ? 2 : 1);
        long clocks = 16L * Math.max(divisor, 1) * bits;
        return clocks * 1_000_000_000L / clockHz;
    }

    /** IIR bits 3:0 by the priorities of datasheet Table IV. */
    private int interruptIdentification() {
        if ((ier & IER_LINE_STATUS) != 0 && lineErrors != 0) {
            return IIR_LINE_STATUS;
        }
        if ((ier & IER_RECEIVED_DATA) != 0 && !receiver.isEmpty()) {
            if (!fifosEnabled || receiver.size() >= triggerLevel) {
                return IIR_RECEIVED_DATA;
            }
            if (timedOut) {
                return IIR_TIMEOUT;
            }
        }
        if ((ier & IER_THR_EMPTY) != 0 && thrEmptyInterrupt) {
            return IIR_THR_EMPTY;
        }
        if ((ier & IER_MODEM_STATUS) != 0 && modemDeltas != 0) {
            return IIR_MODEM_STATUS;
        }
        return IIR_NONE;
    }

    /** Makes the line's level match IIR bit 0. Called under the monitor after every change. */
    private void updateLine() {
        boolean pending = interruptIdentification() != IIR_NONE;
        if (pending != lineAsserted) {
            lineAsserted = pending;
            if (pending) {
                irq.raise();
            } else {
                irq.lower();
            }
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
