package org.astralisp.machine.irq.x86;

/**
 * The three 256-bit vector banks of a local APIC and the priority rules over them
 * (Intel SDM Vol. 3A §11.8.3–11.8.5, "Interrupt, Task, and Processor Priority", "Signaling
 * Interrupt Servicing Completion"):
 *
 * <ul>
 *   <li>IRR: vectors accepted and not yet taken by the CPU;</li>
 *   <li>ISR: vectors taken (acknowledged) and not yet ended by an EOI;</li>
 *   <li>TMR: for each vector, whether its last accepted instance was level-triggered.</li>
 * </ul>
 *
 * <p>The priority class of a vector is its bits 7:4. The processor priority is the TPR if its
 * class is at least that of the highest in-service vector, else that vector's class
 * ({@code PPR[7:4] = max(TPR[7:4], ISRV[7:4])}, {@code PPR[3:0] = TPR[3:0]} or 0). A requested
 * vector is delivered when its class is above the processor priority's class.
 *
 * <p>Not thread-safe: guarded by the owning {@link LocalApic}'s monitor.
 */
final class ApicVectorRegisters {

    private static final int WORDS = 4;

    private final long[] irr = new long[WORDS];
    private final long[] isr = new long[WORDS];
    private final long[] tmr = new long[WORDS];

    /** Latches {@code vector} in the IRR and records its trigger mode in the TMR. */
    void request(int vector, boolean level) {
        set(irr, vector);
        if (level) {
            set(tmr, vector);
        } else {
            clear(tmr, vector);
        }
    }

    /** PPR for task priority {@code tpr} (SDM §11.8.3.1). */
    int processorPriority(int tpr) {
        int inService = highest(isr);
        int serviceClass = inService < 0 ? 0 : inService & 0xF0;
        return (tpr & 0xF0) >= serviceClass ? tpr : serviceClass;
    }

    /** The vector the CPU would take now under {@code tpr}, or −1. */
    int deliverable(int tpr) {
        int requested = highest(irr);
        if (requested < 0 || (requested & 0xF0) <= (processorPriority(tpr) & 0xF0)) {
            return -1;
        }
        return requested;
    }

    /** The interrupt-acknowledge cycle: {@code vector} moves from the IRR to the ISR. */
    void acknowledge(int vector) {
        clear(irr, vector);
        set(isr, vector);
    }

    /** EOI: clears the highest ISR bit and returns its vector, or −1 if none was in service. */
    int endOfInterrupt() {
        int vector = highest(isr);
        if (vector >= 0) {
            clear(isr, vector);
        }
        return vector;
    }

    boolean levelTriggered(int vector) {
        return (tmr[vector >>> 6] & (1L << vector)) != 0;
    }

    /** Bits {@code 32*index .. 32*index+31} of the IRR, as the register at {@code 0x200 + 0x10*index} reads. */
    int requestWord(int index) {
        return word(irr, index);
    }

    int inServiceWord(int index) {
        return word(isr, index);
    }

    int triggerModeWord(int index) {
        return word(tmr, index);
    }

    private static int word(long[] bank, int index) {
        return (int) (bank[index >>> 1] >>> (32 * (index & 1)));
    }

    private static int highest(long[] bank) {
        for (int i = WORDS - 1; i >= 0; i--) {
            if (bank[i] != 0) {
                return 64 * i + 63 - Long.numberOfLeadingZeros(bank[i]);
            }
        }
        return -1;
    }

    private static void set(long[] bank, int vector) {
        bank[vector >>> 6] |= 1L << vector;
    }

    private static void clear(long[] bank, int vector) {
        bank[vector >>> 6] &= ~(1L << vector);
    }
}
