package org.astralisp.kernel.api.irq;

/**
 * A device line's handler. It runs on the vCPU the line is routed to, with
 * interrupts disabled, before the line is completed (EOI): it must not block,
 * and for a level line it must make the device lower the line (read its
 * status, acknowledge) or the line is taken again at once. Longer work goes to
 * {@link DeferredWork}.
 */
@FunctionalInterface
public interface InterruptHandler {

    /** Handles one interrupt of the line on {@code cpu}. */
    void handle(int cpu);
}
