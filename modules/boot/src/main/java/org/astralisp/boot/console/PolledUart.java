package org.astralisp.boot.console;

import java.util.concurrent.TimeUnit;
import org.astralisp.machine.port.Mmio;

/**
 * The console UART driven by polling with its interrupts off, as firmware
 * (OpenSBI, U-Boot) drives it before an OS takes over. The loader falls back
 * to it when no kernel tty offers a {@link org.astralisp.boot.spi.Terminal}, so
 * that console I/O goes through the UART in every configuration.
 *
 * <p>Registers (16550A datasheet, Table II; {@code reg-shift} 0 on every
 * AstraLisp board): RBR/THR 0, IER 1, FCR 2, LCR 3, MCR 4, LSR 5 (DR bit 0,
 * THRE bit 5), MSR 6 (DCD bit 7).
 */
public final class PolledUart {

    static final int RBR_THR = 0;
    static final int IER = 1;
    static final int FCR = 2;
    static final int LCR = 3;
    static final int MCR = 4;
    static final int LSR = 5;
    static final int MSR = 6;
    static final int LSR_DR = 0x01;
    static final int LSR_THRE = 0x20;
    static final int MSR_DCD = 0x80;

    /** {@link #poll()}: no byte waiting. */
    public static final int NOTHING = -1;
    /** {@link #poll()}: no byte waiting and carrier (DCD) is down: the host end went away. */
    public static final int HANGUP = -2;

    /** How long an idle reader sleeps between looks at LSR: 100 looks a second, and only in the fallback. */
    static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
    /** How long a byte waits for the transmitter before it is dropped (a UART that never drains). */
    static final long TRANSMIT_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Mmio registers;

    public PolledUart(Mmio registers) {
        this.registers = registers;
    }

    /**
     * Takes the UART over for polling: interrupts off, FIFOs on and cleared,
     * 8N1, DTR and RTS up. Only when no driver owns it.
     */
    public void takeOver() {
        registers.write8(IER, 0);
        registers.write8(FCR, 0x07);
        registers.write8(LCR, 0x03);
        registers.write8(MCR, 0x03);
    }

    /** The next received byte (0..255), {@link #NOTHING}, or {@link #HANGUP}. Never blocks. */
    public int poll() {
        if ((registers.read8(LSR) & LSR_DR) != 0) {
            return registers.read8(RBR_THR);
        }
        return (registers.read8(MSR) & MSR_DCD) == 0 ? HANGUP : NOTHING;
    }

    /** Writes {@code b} once THR is empty; drops it if the transmitter stays busy for a second. */
    public synchronized void transmit(int b) {
        long deadline = System.nanoTime() + TRANSMIT_TIMEOUT_NANOS;
        while ((registers.read8(LSR) & LSR_THRE) == 0) {
            if (System.nanoTime() > deadline) {
                return;
            }
            Thread.onSpinWait();
        }
        registers.write8(RBR_THR, b & 0xff);
    }
}
