package org.astralisp.kernel.api.mm;

/**
 * The zones physical memory is divided into, by what can address it. Each
 * zone has its own free lists, lock and statistics.
 *
 * <p>Ordinary allocations prefer {@link #NORMAL} and fall back to
 * {@link #DMA32}, so that memory a 32-bit DMA device can reach is used last.
 * Both boundaries are multiples of the largest block, so no block straddles
 * two zones.
 */
public enum MemoryZone {

    /** {@code [0, 4 GiB)}: reachable by devices with 32-bit DMA addresses. */
    DMA32(0, 1L << 32),

    /** {@code [4 GiB, 2^63)}: everything above. */
    NORMAL(1L << 32, Long.MAX_VALUE);

    private final long start;
    private final long end;

    MemoryZone(long start, long end) {
        this.start = start;
        this.end = end;
    }

    /** The first physical address of the zone. */
    public long start() {
        return start;
    }

    /** The first physical address after the zone. */
    public long end() {
        return end;
    }

    /** The zone holding {@code address} (a non-negative physical address). */
    public static MemoryZone of(long address) {
        return address < DMA32.end ? DMA32 : NORMAL;
    }
}
