package org.astralisp.machine.irq.x86;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The interrupt messages between APICs (the system bus of Intel SDM Vol. 3A §11.1): fixed
 * interrupts to a local APIC by physical APIC ID or to all of them, and EOI broadcasts from the
 * local APICs to the I/O APICs (§11.8.5). Delivery is synchronous: when a send returns, the
 * target IRR holds the vector.
 *
 * <p>The attached APICs are fixed at machine assembly (copy-on-write lists); sends need no
 * lock of their own.
 */
public final class ApicBus {

    /** The physical destination that addresses every local APIC (xAPIC). */
    static final int BROADCAST = 0xFF;

    private final List<LocalApic> localApics = new CopyOnWriteArrayList<>();
    private final List<IoApic> ioApics = new CopyOnWriteArrayList<>();

    /** Connects a local APIC; its ID must be new on this bus. */
    public void attach(LocalApic apic) {
        if (localApic(apic.id()) != null) {
            throw new IllegalArgumentException("APIC ID " + apic.id() + " is already on the bus");
        }
        localApics.add(apic);
    }

    /** Connects an I/O APIC, which then hears EOI broadcasts. */
    public void attach(IoApic apic) {
        ioApics.add(apic);
    }

    /**
     * A fixed interrupt to the APIC with ID {@code destination}, or to all for
     * {@link #BROADCAST}.
     *
     * @return whether some APIC accepted it
     */
    boolean send(int destination, int vector, boolean level) {
        if (destination == BROADCAST) {
            return sendToAll(vector, level, -1);
        }
        LocalApic target = localApic(destination);
        return target != null && target.accept(vector, level);
    }

    /** A fixed interrupt to every local APIC except {@code excluded} (−1: none excluded). */
    boolean sendToAll(int vector, boolean level, int excluded) {
        boolean accepted = false;
        for (LocalApic apic : localApics) {
            if (apic.id() != excluded) {
                accepted |= apic.accept(vector, level);
            }
        }
        return accepted;
    }

    void broadcastEndOfInterrupt(int vector) {
        for (IoApic apic : ioApics) {
            apic.endOfInterrupt(vector);
        }
    }

    private LocalApic localApic(int id) {
        for (LocalApic apic : localApics) {
            if (apic.id() == id) {
                return apic;
            }
        }
        return null;
    }
}
