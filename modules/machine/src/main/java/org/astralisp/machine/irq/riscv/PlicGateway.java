package org.astralisp.machine.irq.riscv;

import org.astralisp.machine.irq.TriggerMode;

/**
 * The interrupt gateway of one PLIC source (RISC-V PLIC specification 1.0.0, "Interrupt
 * Gateways"): turns its line into at most one outstanding interrupt request at a time.
 *
 * <p>A request is forwarded to the PLIC core (setting the source's pending bit) when the gateway
 * has none in flight; then it waits for the completion of that request. Level: a request is
 * forwarded while the line is asserted, and again at completion if it still is. Edge: each rising
 * edge is a request; an edge that arrives while one is in flight is remembered (one, not a count)
 * and forwarded at completion.
 *
 * <p>Not thread-safe: guarded by the owning {@link Plic}'s monitor.
 */
final class PlicGateway {

    private final TriggerMode trigger;
    private boolean asserted;
    private boolean inFlight;
    private boolean edgeWaiting;

    PlicGateway(TriggerMode trigger) {
        this.trigger = trigger;
    }

    /** The line changed to {@code level}; returns whether a request is forwarded now. */
    boolean lineChanged(boolean level) {
        boolean rising = level && !asserted;
        asserted = level;
        if (trigger == TriggerMode.LEVEL) {
            return level && forward();
        }
        if (!rising) {
            return false;
        }
        if (inFlight) {
            edgeWaiting = true;
            return false;
        }
        return forward();
    }

    boolean inFlight() {
        return inFlight;
    }

    /** The request in flight was completed; returns whether a new one is forwarded now. */
    boolean completed() {
        inFlight = false;
        if (trigger == TriggerMode.LEVEL) {
            return asserted && forward();
        }
        if (edgeWaiting) {
            edgeWaiting = false;
            return forward();
        }
        return false;
    }

    private boolean forward() {
        if (inFlight) {
            return false;
        }
        inFlight = true;
        return true;
    }
}
