package org.astralisp.machine.device.pci;

/** The subsystem ids QEMU gives its own PCI functions (Red Hat/Qumranet 0x1af4, "QEMU" 0x1100). */
final class QemuIds {

    static final int SUBSYSTEM_VENDOR = 0x1af4;
    static final int SUBSYSTEM = 0x1100;

    private QemuIds() {
    }
}
