package org.astralisp.kernel.tty;

import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import org.astralisp.machine.port.Mmio;

/**
 * Driver of a PC16550D ("16550A") UART, interrupt driven, as Linux's 8250
 * driver does it. The register numbers and bits are the datasheet's (Table
 * II "Register Summary"); register {@code n} is at offset {@code n << regShift}
 * of the window, one byte wide ({@code reg-io-width} 1, Linux
 * {@code serial/8250.yaml}).
 *
 * <p>{@link #initialize()} programs the line (datasheet "Programmable Baud
 * Generator", Table I): DLAB set, divisor {@code clock / (16 × 115200)} in
 * DLL/DLM, LCR 8 data bits, no parity, 1 stop bit; FIFOs enabled and both
 * reset, receiver trigger at 8 (FCR 0x87; Table III); MCR DTR, RTS, OUT2.
 * {@link #enableInterrupts()} then sets IER: received data available,
 * transmitter holding register empty, receiver line status and modem status.
 *
 * <p>{@link #handleInterrupt()} is the interrupt handler. It reads IIR until
 * bit 0 says no interrupt is pending (Table IV), at most {@value #PASS_LIMIT}
 * times, and services each cause:
 * <ul>
 * <li>receiver line status (IIR 0x6): LSR's OE, PE, FE, BI counted;</li>
 * <li>received data available (0x4) and character timeout (0xC): RBR read
 *     while LSR.DR, at most {@value #RECEIVE_LIMIT} bytes a pass, into the
 *     {@link SerialReceiver}; a byte received with BI is the break's 0 and is
 *     dropped;</li>
 * <li>transmitter holding register empty (0x2): up to 16 bytes (the
 *     transmitter FIFO's depth; 1 if IIR bits 7:6 show no FIFOs) from the
 *     transmit ring into THR; when the ring is empty, ETBEI is cleared so that
 *     an idle transmitter raises nothing;</li>
 * <li>modem status (0x0): MSR read (clearing the deltas); DDCD is a carrier
 *     change, MSR.DCD its new state.</li>
 * </ul>
 * Once the lock is released the receiver is {@linkplain SerialReceiver#wake()
 * woken} if it got anything: the line discipline runs as deferred work, not
 * in the handler.
 *
 * <p>{@link #write} appends to the transmit ring and "kicks" the transmitter
 * by setting ETBEI, which raises the THRE interrupt at once since THR is
 * empty (datasheet IER bit 1). When the ring is full the writer empties it
 * itself by polling LSR.THRE and writing THR, as a console's polled output
 * does; so a writer never waits for an interrupt — which matters on a vCPU,
 * which cannot take one while it waits — and the bytes still go out in order.
 * When the host end does not take output (the machine's UART holds THRE low
 * while its back end is not clear to send), the writer waits for it, the lock
 * released and polling every millisecond, for up to
 * {@value #HOST_STALL_NANOS} ns; only a host stalled that long loses bytes
 * (counted in {@code droppedOutput}).
 *
 * <p>Locking: one lock guards the registers' read-modify-write sequences,
 * the ring and the counters; the handler (a vCPU) and writers (any thread)
 * take it. Nothing is called under it but the receiver's short methods.
 */
final class Uart16550Driver {

    /** The line the console runs at: 115200 baud, 8N1. */
    static final int BAUD = 115_200;
    static final int TRANSMIT_RING = 16 * 1024;
    static final int PASS_LIMIT = 512;
    static final int RECEIVE_LIMIT = 256;
    /** LSR reads a polled write waits for THRE before it gives the byte up. */
    static final int THRE_POLLS = 100_000;
    /** How long a writer waits for a host end that takes no output before it drops bytes: a stalled terminal. */
    static final long HOST_STALL_NANOS = 10_000_000_000L;
    /** How often a writer waiting for the host looks again. */
    static final long STALL_POLL_NANOS = 1_000_000L;

    static final int RBR_THR = 0;
    static final int IER = 1;
    static final int IIR_FCR = 2;
    static final int LCR = 3;
    static final int MCR = 4;
    static final int LSR = 5;
    static final int MSR = 6;
    static final int DLL = 0;
    static final int DLM = 1;

    static final int IER_RDA = 0x01;
    static final int IER_THRE = 0x02;
    static final int IER_RLS = 0x04;
    static final int IER_MS = 0x08;

    static final int IIR_NO_INTERRUPT = 0x01;
    static final int IIR_ID_MASK = 0x0E;
    static final int IIR_RLS = 0x06;
    static final int IIR_RDA = 0x04;
    static final int IIR_TIMEOUT = 0x0C;
    static final int IIR_THRE = 0x02;
    static final int IIR_MS = 0x00;
    static final int IIR_FIFOS = 0xC0;

    /** FCR: enable, reset receiver, reset transmitter, trigger level 8 (bits 7:6 = 10). */
    static final int FCR_SETUP = 0x87;
    static final int LCR_DLAB = 0x80;
    static final int LCR_8N1 = 0x03;
    /** MCR: DTR, RTS, OUT2. */
    static final int MCR_SETUP = 0x0B;

    static final int LSR_DR = 0x01;
    static final int LSR_OE = 0x02;
    static final int LSR_PE = 0x04;
    static final int LSR_FE = 0x08;
    static final int LSR_BI = 0x10;
    static final int LSR_THRE = 0x20;

    static final int MSR_DDCD = 0x08;
    static final int MSR_DCD = 0x80;

    private static final int FIFO_DEPTH = 16;

    private final Mmio registers;
    private final int regShift;
    private final int divisor;
    private final SerialReceiver receiver;
    private final ReentrantLock lock = new ReentrantLock();
    private final TransmitRing ring = new TransmitRing(TRANSMIT_RING);

    private int ier;
    private int transmitBurst = 1;
    private boolean carrier;
    /**
     * MSR at initialisation showed DCD low with DDCD set: the carrier was there
     * and went before this driver started (a stdio host whose input ended
     * during boot). Reported as a loss by the first interrupt, after the input
     * waiting in the FIFO, so it is the hangup it would have been had the
     * driver been running.
     */
    private boolean carrierLostBeforeStart;
    /** {@link #initialize()} handed the tty input that was waiting; the first interrupt wakes it. */
    private boolean typedAhead;
    private long received;
    private long transmitted;
    private long overruns;
    private long parityErrors;
    private long framingErrors;
    private long breaks;
    private long droppedInput;
    private long droppedOutput;
    private long carrierChanges;
    private long interrupts;

    /**
     * A driver for the UART whose registers are {@code registers}.
     *
     * @throws IllegalArgumentException if {@code regShift} is not 0..3, the
     *         window is too small for it, or {@code clockHz} gives no divisor
     *         for 115200 baud within 2 % (the tolerance of an asynchronous line)
     */
    Uart16550Driver(Mmio registers, int regShift, long clockHz, SerialReceiver receiver) {
        this.registers = Objects.requireNonNull(registers, "registers");
        this.receiver = Objects.requireNonNull(receiver, "receiver");
        if (regShift < 0 || regShift > 3) {
            throw new IllegalArgumentException("reg-shift " + regShift + ": registers are 1 to 8 bytes apart (0..3)");
        }
        if (registers.size() < (8L << regShift)) {
            throw new IllegalArgumentException("register window of " + registers.size()
                    + " bytes is too small for 8 registers with reg-shift " + regShift);
        }
        this.regShift = regShift;
        this.divisor = divisor(clockHz);
    }

    /** The divisor latch value for {@value #BAUD} baud at {@code clockHz} (datasheet Table I: clock / (16 × baud)). */
    static int divisor(long clockHz) {
        long exact = 16L * BAUD;
        long rounded = (clockHz + exact / 2) / exact;
        if (rounded < 1 || rounded > 0xFFFF) {
            throw new IllegalArgumentException("clock-frequency " + clockHz + " Hz gives no 16-bit divisor for "
                    + BAUD + " baud (divisor " + rounded + ")");
        }
        double rate = clockHz / (16.0 * rounded);
        if (Math.abs(rate - BAUD) / BAUD > 0.02) {
            throw new IllegalArgumentException("clock-frequency " + clockHz + " Hz: divisor " + rounded + " gives "
                    + Math.round(rate) + " baud, more than 2 % from " + BAUD);
        }
        return (int) rounded;
    }

    /**
     * Programs the UART (see the class comment) with its interrupts off and
     * clears stale status. Returns with IER 0.
     */
    void initialize() {
        lock.lock();
        try {
            ier = 0;
            write(IER, 0);
            // Typed-ahead input (RBR holds it while the FIFOs are off at reset) is the user's: keep it
            // before the FIFO reset below would discard it. The first interrupt wakes the tty for it.
            typedAhead = receive();
            write(LCR, LCR_DLAB);
            write(DLL, divisor & 0xFF);
            write(DLM, divisor >>> 8);
            write(LCR, LCR_8N1);
            write(IIR_FCR, FCR_SETUP);
            transmitBurst = (read(IIR_FCR) & IIR_FIFOS) == IIR_FIFOS ? FIFO_DEPTH : 1;
            write(MCR, MCR_SETUP);
            read(LSR);
            int msr = read(MSR);
            carrier = (msr & MSR_DCD) != 0;
            carrierLostBeforeStart = !carrier && (msr & MSR_DDCD) != 0;
        } finally {
            lock.unlock();
        }
    }

    /**
     * Sets IER: received data, THR empty, receiver line status, modem status.
     * THR is empty, so the line rises at once (and input waiting raises it too).
     */
    void enableInterrupts() {
        lock.lock();
        try {
            setIer(IER_RDA | IER_THRE | IER_RLS | IER_MS);
        } finally {
            lock.unlock();
        }
    }

    /** Clears IER: the UART raises nothing more. What is in the transmit ring stays there. */
    void disableInterrupts() {
        lock.lock();
        try {
            setIer(0);
        } finally {
            lock.unlock();
        }
    }

    /** MSR.DCD as last seen: at {@link #initialize()} or at the last modem status interrupt. */
    boolean carrierDetected() {
        lock.lock();
        try {
            return carrier;
        } finally {
            lock.unlock();
        }
    }

    /** Bytes the transmitter FIFO takes per THRE interrupt: 16, or 1 for a UART without FIFOs. */
    int transmitBurst() {
        return transmitBurst;
    }

    /** The interrupt handler (see the class comment). Runs on a vCPU with interrupts disabled. */
    void handleInterrupt() {
        boolean delivered = false;
        lock.lock();
        try {
            interrupts++;
            for (int pass = 0; pass < PASS_LIMIT; pass++) {
                int iir = read(IIR_FCR);
                if ((iir & IIR_NO_INTERRUPT) != 0) {
                    break;
                }
                switch (iir & IIR_ID_MASK) {
                    case IIR_RLS -> countLineErrors(read(LSR));
                    case IIR_RDA, IIR_TIMEOUT -> delivered |= receive();
                    case IIR_THRE -> transmitFromRing();
                    case IIR_MS -> delivered |= modemStatus();
                    default -> {
                        // IIR identifications not in Table IV (0x8, 0xA, 0xE) do not exist on a 16550A; none to clear.
                    }
                }
            }
            delivered |= typedAhead;
            typedAhead = false;
            if (carrierLostBeforeStart) {
                carrierLostBeforeStart = false;
                carrierChanges++;
                receiver.carrierChanged(false);
                delivered = true;
            }
        } finally {
            lock.unlock();
        }
        if (delivered) {
            receiver.wake();
        }
    }

    /**
     * Queues {@code bytes} for transmission in order and starts the
     * transmitter. Any thread; never waits for an interrupt (see the class
     * comment).
     */
    void write(byte[] bytes) {
        lock.lock();
        try {
            long stalledSince = 0;
            for (byte b : bytes) {
                while (ring.isFull()) {
                    transmitPolled();
                    if (!ring.isFull()) {
                        break;
                    }
                    // The host end is not taking output (CTS low): wait for it, the lock released so that
                    // the handler can go on, for at most HOST_STALL_NANOS; then give the byte up.
                    long now = System.nanoTime();
                    if (stalledSince == 0) {
                        stalledSince = now;
                    } else if (now - stalledSince > HOST_STALL_NANOS) {
                        break;
                    }
                    lock.unlock();
                    try {
                        LockSupport.parkNanos(STALL_POLL_NANOS);
                    } finally {
                        lock.lock();
                    }
                }
                if (ring.isFull()) {
                    droppedOutput++;
                } else {
                    ring.add(b);
                }
            }
            if (!ring.isEmpty() && (ier & IER_THRE) == 0 && ier != 0) {
                setIer(ier | IER_THRE);
            }
        } finally {
            lock.unlock();
        }
    }

    UartStatistics statistics() {
        lock.lock();
        try {
            return new UartStatistics(received, transmitted, overruns, parityErrors, framingErrors, breaks,
                    droppedInput, droppedOutput, carrierChanges, interrupts);
        } finally {
            lock.unlock();
        }
    }

    /** Bytes waiting in the transmit ring. */
    int pendingOutput() {
        lock.lock();
        try {
            return ring.size();
        } finally {
            lock.unlock();
        }
    }

    private boolean receive() {
        boolean delivered = false;
        for (int n = 0; n < RECEIVE_LIMIT; n++) {
            int lsr = read(LSR);
            if ((lsr & LSR_DR) == 0) {
                break;
            }
            countLineErrors(lsr);
            byte b = (byte) read(RBR_THR);
            if ((lsr & LSR_BI) != 0) {
                continue;
            }
            if (receiver.received(b)) {
                received++;
                delivered = true;
            } else {
                droppedInput++;
            }
        }
        return delivered;
    }

    private void countLineErrors(int lsr) {
        if ((lsr & LSR_OE) != 0) {
            overruns++;
        }
        if ((lsr & LSR_PE) != 0) {
            parityErrors++;
        }
        if ((lsr & LSR_FE) != 0) {
            framingErrors++;
        }
        if ((lsr & LSR_BI) != 0) {
            breaks++;
        }
    }

    private void transmitFromRing() {
        for (int n = 0; n < transmitBurst && !ring.isEmpty(); n++) {
            write(RBR_THR, ring.remove() & 0xFF);
            transmitted++;
        }
        if (ring.isEmpty()) {
            setIer(ier & ~IER_THRE);
        }
    }

    /** Empties the ring by polling: each byte waits for LSR.THRE, at most {@value #THRE_POLLS} reads. */
    private void transmitPolled() {
        while (!ring.isEmpty()) {
            int polls = 0;
            while ((read(LSR) & LSR_THRE) == 0) {
                if (++polls >= THRE_POLLS) {
                    return;
                }
                Thread.onSpinWait();
            }
            write(RBR_THR, ring.remove() & 0xFF);
            transmitted++;
        }
    }

    private boolean modemStatus() {
        int msr = read(MSR);
        if ((msr & MSR_DDCD) == 0) {
            return false;
        }
        carrierChanges++;
        carrier = (msr & MSR_DCD) != 0;
        receiver.carrierChanged(carrier);
        return true;
    }

    private void setIer(int value) {
        ier = value;
        write(IER, value);
    }

    private int read(int register) {
        return registers.read8((long) register << regShift) & 0xFF;
    }

    private void write(int register, int value) {
        registers.write8((long) register << regShift, value);
    }
}
