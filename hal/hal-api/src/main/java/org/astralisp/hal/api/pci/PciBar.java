package org.astralisp.hal.api.pci;

/**
 * One memory Base Address Register after enumeration (PCI Local Bus 3.0
 * §6.2.5.1): its slot, the size the sizing protocol found, its type, and where
 * the enumerator put it — the bus address programmed into the BAR and the CPU
 * address a driver maps — or not assigned (addresses 0) when it did not fit.
 *
 * @param index       the slot, 0..5 (a 64-bit BAR also takes the next)
 * @param busAddress  the address on the PCI bus, as the BAR holds it
 * @param cpuAddress  the CPU physical address of the same bytes (through the host bridge's {@code ranges})
 * @param size        a power of two, at least 16
 * @param is64        a 64-bit BAR (type 10b)
 * @param assigned    whether the enumerator placed it in the memory window
 */
public record PciBar(int index, long busAddress, long cpuAddress, long size, boolean is64, boolean prefetchable,
        boolean assigned) {

    public PciBar {
        if (index < 0 || index > 5 || Long.bitCount(size) != 1 || size < 16) {
            throw new IllegalArgumentException("not a memory BAR: index " + index + ", size 0x" + Long.toHexString(size));
        }
        if (!assigned && (busAddress != 0 || cpuAddress != 0)) {
            throw new IllegalArgumentException("an unassigned BAR has no addresses");
        }
    }

    /** A BAR the enumerator could not place. */
    static PciBar unassigned(int index, long size, boolean is64, boolean prefetchable) {
        return new PciBar(index, 0, 0, size, is64, prefetchable, false);
    }

    PciBar assignedAt(long bus, long cpu) {
        return new PciBar(index, bus, cpu, size, is64, prefetchable, true);
    }

    /** {@code 1M}, {@code 16K}, {@code 2G}, {@code 48}: the size as lspci writes it. */
    public static String sizeText(long bytes) {
        String[] units = {"", "K", "M", "G", "T", "P", "E"};
        long value = bytes;
        int unit = 0;
        while (unit < units.length - 1 && value >= 1024 && value % 1024 == 0) {
            value /= 1024;
            unit++;
        }
        return value + units[unit];
    }
}
