package org.astralisp.hal.api.pci;

import org.astralisp.machine.port.Mmio;

/**
 * Configuration space through the ECAM window (PCIe Base 4.0 §7.2.2): the
 * function at {@code bus:dev.fn} is at {@code (bus - firstBus) << 20 | dev << 15 | fn << 12}
 * from the window's start. Only 1, 2 and 4-byte accesses, naturally aligned.
 */
final class EcamAccess {

    static final int VENDOR = 0x00;
    static final int COMMAND = 0x04;
    static final int CLASS_REVISION = 0x08;
    static final int HEADER_TYPE = 0x0E;
    static final int BAR0 = 0x10;
    static final int SUBSYSTEM = 0x2C;
    static final int INTERRUPT_PIN = 0x3D;

    static final int COMMAND_IO = 1;
    static final int COMMAND_MEMORY = 1 << 1;
    static final int COMMAND_BUS_MASTER = 1 << 2;
    static final int COMMAND_INTERRUPT_DISABLE = 1 << 10;

    private final Mmio window;
    private final int firstBus;

    EcamAccess(Mmio window, int firstBus) {
        this.window = window;
        this.firstBus = firstBus;
    }

    private long offset(PciAddress address, int register) {
        return address.ecamOffset() - ((long) firstBus << 20) + register;
    }

    int read32(PciAddress address, int register) {
        return window.read32(offset(address, register));
    }

    int read16(PciAddress address, int register) {
        return window.read16(offset(address, register)) & 0xFFFF;
    }

    int read8(PciAddress address, int register) {
        return window.read8(offset(address, register)) & 0xFF;
    }

    void write32(PciAddress address, int register, int value) {
        window.write32(offset(address, register), value);
    }

    void write16(PciAddress address, int register, int value) {
        window.write16(offset(address, register), value);
    }
}
