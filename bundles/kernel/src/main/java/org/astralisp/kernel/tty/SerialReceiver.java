package org.astralisp.kernel.tty;

/**
 * What the UART driver hands its receive side (the tty) from the interrupt
 * handler. The calls run on the vCPU taking the interrupt, with interrupts
 * disabled and the driver's lock held: they must be short and must not block
 * or call back into the driver; the real work waits for {@link #wake()}.
 */
interface SerialReceiver {

    /** One received byte; false if the receiver's buffer is full and the byte was not taken. */
    boolean received(byte b);

    /** The carrier (MSR.DCD) changed to {@code detected}. */
    void carrierChanged(boolean detected);

    /**
     * The handler delivered bytes or carrier changes and has released the
     * driver's lock: schedule the processing (deferred work). Called once per
     * interrupt, after the others.
     */
    void wake();
}
