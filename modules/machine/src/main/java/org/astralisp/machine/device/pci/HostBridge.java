package org.astralisp.machine.device.pci;

import org.astralisp.machine.bus.MmioDevice;

/**
 * Function 00:00.0: the host bridge as QEMU's generic PCIe host presents it
 * ({@code gpex}: Red Hat's vendor 0x1b36, device 0x0008, class 0x060000 "host
 * bridge"). It has no BARs, no interrupt and no capabilities; it is there so
 * that an enumerator finds the root of the hierarchy, as on the real boards.
 */
public final class HostBridge extends PciFunction {

    public static final int VENDOR = 0x1b36;
    public static final int DEVICE = 0x0008;
    public static final int CLASS = 0x06_00_00;

    public HostBridge() {
        super(VENDOR, DEVICE, 0, CLASS, QemuIds.SUBSYSTEM_VENDOR, QemuIds.SUBSYSTEM, 0, new byte[0]);
    }

    @Override
    public String name() {
        return "host-bridge";
    }

    @Override
    protected MmioDevice barRegisters(int slot) {
        throw new IllegalArgumentException("the host bridge has no BAR " + slot);
    }
}
