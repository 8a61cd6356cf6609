package org.astralisp.machine.port;

import java.lang.foreign.MemorySegment;

/**
 * Guest RAM: one contiguous range of guest-physical addresses,
 * {@code [base, base + size)}, backed by one off-heap segment that the host
 * commits lazily (untouched pages cost no host memory). Where it sits and how
 * large it is are also in the device tree's {@code /memory} node.
 *
 * <p>Byte order is the caller's business, as on real hardware: structures the
 * CPU or a device defines as little- or big-endian are read and written so.
 */
public interface PhysicalMemory {

    /** The guest-physical address of the first byte of RAM. */
    long base();

    /** The size of RAM in bytes. */
    long size();

    /** All of RAM; offset {@code p - base()} holds guest-physical address {@code p}. */
    MemorySegment segment();

    /**
     * The part of RAM at guest-physical {@code [physical, physical + length)}.
     *
     * @throws IllegalArgumentException naming the range if it is not all RAM
     */
    MemorySegment slice(long physical, long length);
}
