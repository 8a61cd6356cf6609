package org.astralisp.machine.device.pci;

import org.astralisp.machine.bus.MmioDevice;
import org.astralisp.machine.irq.RegisterFaults;

/**
 * The Enhanced Configuration Access Mechanism (PCI Express Base 4.0 §7.2.2):
 * each function's 4 KiB of configuration space memory-mapped at
 * {@code bus << 20 | device << 15 | function << 12 | register}, 1 MiB per bus.
 * Accesses are 1, 2 or 4 bytes, naturally aligned (§7.2.2.1: a root complex
 * need not support wider ones; the bus checks alignment). A function that is
 * not there reads all ones — vendor 0xFFFF, the "no device" answer of a
 * master abort (PCI Local Bus 3.0 §6.1) — and ignores writes. Only bus 0 is
 * populated (no bridges); functions 1..7 of a device answer only if function
 * 0 is there and multi-function.
 */
final class PcieEcam implements MmioDevice {

    static final int DEVICES = 32;
    static final int FUNCTIONS = 8;

    private final long size;
    private final PciFunction[] functions = new PciFunction[DEVICES * FUNCTIONS];

    /** A config space for {@code size / 1 MiB} buses. */
    PcieEcam(long size) {
        if (size <= 0 || size % (1 << 20) != 0 || size > 256L << 20) {
            throw new IllegalArgumentException("an ECAM window of 0x" + Long.toHexString(size)
                    + " bytes: 1 MiB per bus, 1 to 256 buses");
        }
        this.size = size;
    }

    /** Places {@code function} at 00:{@code device}.{@code number}; while the machine is built. */
    void place(int device, int number, PciFunction function) {
        int index = device * FUNCTIONS + number;
        if (functions[index] != null) {
            throw new IllegalArgumentException(String.format("00:%02x.%d is taken by %s", device, number,
                    functions[index].name()));
        }
        functions[index] = function;
    }

    @Override
    public String name() {
        return "pcie-ecam";
    }

    @Override
    public long size() {
        return size;
    }

    @Override
    public long read(long offset, int width) {
        checkWidth(false, offset, width);
        PciFunction function = functionAt(offset);
        if (function == null) {
            return width == 4 ? 0xFFFF_FFFFL : (1L << (8 * width)) - 1;
        }
        return function.readConfig((int) (offset & 0xFFF), width);
    }

    @Override
    public void write(long offset, int width, long value) {
        checkWidth(true, offset, width);
        PciFunction function = functionAt(offset);
        if (function != null) {
            function.writeConfig((int) (offset & 0xFFF), width, value);
        }
    }

    private void checkWidth(boolean write, long offset, int width) {
        if (width == 8) {
            throw RegisterFaults.badWidth(name(), write, offset, width,
                    "configuration accesses are 1, 2 or 4 bytes (PCIe Base §7.2.2)");
        }
    }

    private PciFunction functionAt(long offset) {
        if (offset >>> 20 != 0) {
            return null;
        }
        int index = (int) (offset >>> 12);
        return index % FUNCTIONS != 0 && functions[index - index % FUNCTIONS] == null ? null : functions[index];
    }
}
