package org.astralisp.kernel.api.irq;

/** A request the interrupt framework refuses; the message names the line and why. */
public class InterruptRequestException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InterruptRequestException(String message) {
        super(message);
    }
}
