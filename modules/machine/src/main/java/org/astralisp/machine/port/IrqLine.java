package org.astralisp.machine.port;

/**
 * An interrupt line from a device into an interrupt controller input. A level
 * line stays asserted while raised; an edge is a {@link #pulse()}.
 */
public interface IrqLine {

    void raise();

    void lower();

    /** Raise then lower: one edge. */
    default void pulse() {
        raise();
        lower();
    }
}
