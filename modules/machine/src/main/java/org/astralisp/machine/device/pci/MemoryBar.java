package org.astralisp.machine.device.pci;

/**
 * What a function's memory Base Address Register asks for (PCI Local Bus 3.0
 * §6.2.5.1): a naturally aligned block of {@code size} bytes of memory space,
 * a 32-bit BAR (any address below 4 GiB, type 00b) or a 64-bit one (type 10b,
 * taking the next BAR slot for the upper half), prefetchable or not.
 *
 * <p>Invariants: {@code size} is a power of two from 16 bytes (the four flag
 * bits) up to 2 GiB for a 32-bit BAR, 2^62 for a 64-bit one.
 */
public record MemoryBar(long size, boolean is64, boolean prefetchable) {

    public MemoryBar {
        long limit = is64 ? 1L << 62 : 1L << 31;
        if (Long.bitCount(size) != 1 || size < 16 || size > limit) {
            throw new IllegalArgumentException("a memory BAR of 0x" + Long.toHexString(size)
                    + " bytes: the size must be a power of two from 16 bytes to 0x" + Long.toHexString(limit));
        }
    }

    /** The type and prefetchable bits of the BAR's low dword (§6.2.5.1, figure 6-6). */
    int flags() {
        return (is64 ? 0b100 : 0) | (prefetchable ? 0b1000 : 0);
    }
}
