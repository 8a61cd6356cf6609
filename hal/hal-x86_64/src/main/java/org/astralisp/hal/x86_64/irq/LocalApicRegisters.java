package org.astralisp.hal.x86_64.irq;

/**
 * Offsets in the xAPIC page (Intel SDM Vol. 3A, Table 11-1, "Local APIC
 * Register Address Map") and the vectors this OS assigns. Every access to the
 * page reaches the local APIC of the CPU making it, so these registers are
 * only touched on the CPU they belong to.
 */
final class LocalApicRegisters {

    static final int ID = 0x020;
    static final int TPR = 0x080;
    static final int EOI = 0x0B0;
    static final int SVR = 0x0F0;
    static final int ICR_LOW = 0x300;
    static final int ICR_HIGH = 0x310;
    static final int LVT_TIMER = 0x320;
    static final int INITIAL_COUNT = 0x380;
    static final int CURRENT_COUNT = 0x390;
    static final int DIVIDE_CONFIGURATION = 0x3E0;

    /** SVR bit 8: APIC software enable (SDM §11.9). */
    static final int SVR_ENABLE = 1 << 8;
    /** LVT bit 16: masked. */
    static final int LVT_MASKED = 1 << 16;
    /** LVT timer bits 18:17 = 01: periodic (SDM §11.5.4). */
    static final int LVT_PERIODIC = 1 << 17;

    /** Vector class 0xE: above every device line's class, so no threshold holds the timer back. */
    static final int TIMER_VECTOR = 0xE0;
    /** Vector class 0xF, the highest: IPIs are never held back either. */
    static final int IPI_VECTOR = 0xF0;
    /** Low nibble 0xF, as SDM §11.9 recommends for the spurious vector. */
    static final int SPURIOUS_VECTOR = 0xFF;

    private LocalApicRegisters() {
    }

    /** The APIC ID of the CPU making the access: bits 31:24 of the ID register. */
    static int currentCpu(org.astralisp.machine.port.Mmio localApic) {
        return localApic.read32(ID) >>> 24;
    }
}
