package org.astralisp.kernel.api.mm;

import java.util.List;

/**
 * A consistent snapshot of one zone, taken under the zone's lock.
 *
 * <p>Invariants: {@code freeFrames + allocatedFrames() == totalFrames}, and
 * {@code freeFrames == sum over k of freeBlocks.get(k) * 2^k}.
 *
 * @param zone the zone
 * @param totalFrames frames the allocator manages in the zone: RAM minus
 *     reserved ranges
 * @param reservedFrames RAM frames of the zone inside reserved ranges, never
 *     handed out
 * @param freeFrames frames in free blocks
 * @param freeBlocks the number of free blocks of each order, index = order,
 *     {@code 0..maxOrder}
 * @param failedAllocations how many times this zone was asked for a block and
 *     had none that fit, including requests that a fallback zone then served
 */
public record ZoneStatistics(MemoryZone zone, long totalFrames, long reservedFrames, long freeFrames,
        List<Long> freeBlocks, long failedAllocations) {

    public ZoneStatistics {
        freeBlocks = List.copyOf(freeBlocks);
    }

    /** Frames in blocks that are allocated. */
    public long allocatedFrames() {
        return totalFrames - freeFrames;
    }

    /** The number of free blocks of {@code order}. */
    public long freeBlocks(int order) {
        return freeBlocks.get(order);
    }
}
