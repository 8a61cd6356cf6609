package org.astralisp.kernel.mm;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.astralisp.kernel.api.mm.InvalidFreeException;
import org.astralisp.kernel.api.mm.InvalidFreeException.Problem;
import org.astralisp.kernel.api.mm.MemoryStatistics;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.OutOfPhysicalMemoryException;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.mm.PhysicalRange;

/**
 * The physical memory manager: a zoned buddy allocator over the machine's RAM.
 *
 * <p>Built from the page size (from the HAL), the RAM ranges (the device tree's
 * {@code /memory} nodes) and the reserved ranges (kernel image, DTB, firmware),
 * it makes one {@link Zone} per {@link MemoryZone}, each a buddy allocator over
 * the usable frames the {@link MemoryLayout} assigns it. Blocks go up to
 * {@link #MAX_BLOCK_BYTES}.
 *
 * <p>Zone choice. Ordinary allocations try {@code NORMAL}, then {@code DMA32},
 * so memory a 32-bit device can reach is spent last. Contiguous allocations
 * try the same order but skip a zone that starts at or above the limit (it
 * cannot help); inside a zone the limit and alignment are checked per block.
 * A zone without RAM is skipped too, so it counts no failures.
 *
 * <p>Concurrency. The only mutable state is inside the zones, each guarded by
 * its own lock (see {@link Zone}). A call holds at most one zone lock at a
 * time: an allocation locks the zones it tries one after the other, releasing
 * each before the next, and a free locks the one zone that holds the address
 * (found from the address alone; zone bounds never change). Holding one lock
 * at a time rules out deadlock without a lock order. The price is that an
 * allocation is atomic per zone, not across zones: after it failed in
 * {@code NORMAL}, another vCPU can free there before {@code DMA32} is tried;
 * the outcome is the one the allocation would have had if that free had come
 * just after it. The checks of a free that need no zone state
 * (order, alignment, reserved ranges) are made on immutable data before any
 * lock is taken; the rest under the zone's lock, before anything changes.
 *
 * <p>Instances are immutable apart from their zones and are safely published
 * through final fields (JLS §17.5): a Declarative Services component can
 * construct one in its activation and register it.
 */
final class FrameAllocator implements PhysicalMemoryManager {

    /**
     * The largest block, 1 GiB: the largest page all three modelled MMUs map
     * (an x86-64 PDPT entry with PS, an Sv39 gigapage, a radix PUD leaf), so
     * the VMM can back such a mapping with one block, and far above any DMA
     * buffer the drivers need (a 3840x2160 32-bpp framebuffer is 32 MiB). It
     * divides the 4 GiB zone boundary, so no block straddles zones. The cost
     * is the depth of the split and merge loops: 18 levels with 4 KiB pages,
     * 14 with 64 KiB pages, each O(1).
     */
    static final long MAX_BLOCK_BYTES = 1L << 30;

    private final int pageSize;
    private final int pageShift;
    private final int maxOrder;
    private final MemoryLayout layout;
    /** Indexed by {@link MemoryZone#ordinal()}: address order. */
    private final List<Zone> zones;
    /** The zones ordinary allocations try, in order. */
    private final List<Zone> preference;

    /**
     * @param pageSize the frame size: a power of two from 4 KiB to 64 KiB
     * @param ram the RAM ranges; may be unaligned and in any order, must not overlap
     * @param reserved ranges never to hand out; may overlap each other and lie outside RAM
     * @throws IllegalArgumentException naming the value if the page size is not
     *     supported, RAM ranges overlap, or no usable frame remains
     */
    FrameAllocator(int pageSize, List<PhysicalRange> ram, List<PhysicalRange> reserved) {
        this.layout = new MemoryLayout(pageSize, ram, reserved);
        this.pageSize = pageSize;
        this.pageShift = layout.pageShift();
        this.maxOrder = Long.numberOfTrailingZeros(MAX_BLOCK_BYTES) - pageShift;
        List<Zone> made = new ArrayList<>();
        for (MemoryZone kind : MemoryZone.values()) {
            FrameIndex frames = new FrameIndex(layout.usableFrames(kind));
            made.add(new Zone(kind, layout.reservedFrames(kind), new BuddyAllocator(pageShift, maxOrder, frames)));
        }
        this.zones = List.copyOf(made);
        this.preference = List.of(zone(MemoryZone.NORMAL), zone(MemoryZone.DMA32));
    }

    @Override
    public int pageSize() {
        return pageSize;
    }

    @Override
    public int maxOrder() {
        return maxOrder;
    }

    @Override
    public int orderFor(long bytes) {
        if (bytes <= 0 || bytes > MAX_BLOCK_BYTES) {
            throw new IllegalArgumentException("%d bytes: not from 1 to the largest block, %d".formatted(bytes, MAX_BLOCK_BYTES));
        }
        long frames = Math.ceilDiv(bytes, pageSize);
        return 64 - Long.numberOfLeadingZeros(frames - 1);
    }

    @Override
    public long allocate(int order) throws OutOfPhysicalMemoryException {
        checkOrder(order);
        long bytes = (long) pageSize << order;
        return allocate(bytes, order, bytes, NO_LIMIT);
    }

    @Override
    public long allocateContiguous(long bytes, long alignment, long limit) throws OutOfPhysicalMemoryException {
        int order = orderFor(bytes);
        if (alignment <= 0 || Long.bitCount(alignment) != 1) {
            throw new IllegalArgumentException("alignment 0x%x is not a power of two".formatted(alignment));
        }
        if (limit <= 0) {
            throw new IllegalArgumentException("limit 0x%x is not a positive address".formatted(limit));
        }
        return allocate(bytes, order, alignment, limit);
    }

    /** Tries the zones in order of preference; the exception lists the same zones, all of which failed. */
    private long allocate(long bytes, int order, long alignment, long limit) throws OutOfPhysicalMemoryException {
        long alignFrames = Math.max(1, alignment >>> pageShift);
        long limitPfn = limit >>> pageShift;
        for (Zone zone : preference) {
            if (zone.mayServeBelow(limit)) {
                long pfn = zone.allocate(order, alignFrames, limitPfn);
                if (pfn != BuddyAllocator.NO_BLOCK) {
                    return pfn << pageShift;
                }
            }
        }
        List<MemoryZone> tried = preference.stream().filter(z -> z.mayServeBelow(limit)).map(Zone::kind).toList();
        throw new OutOfPhysicalMemoryException(bytes, order, alignment, limit, tried);
    }

    @Override
    public void free(long address, int order) {
        if (order < 0 || order > maxOrder) {
            throw new InvalidFreeException(address, order, Problem.ORDER_OUT_OF_RANGE,
                    "orders run from 0 to %d".formatted(maxOrder));
        }
        if ((address & (pageSize - 1)) != 0) {
            throw new InvalidFreeException(address, order, Problem.MISALIGNED,
                    "not a multiple of the page size %d".formatted(pageSize));
        }
        Optional<PhysicalRange> reserved = layout.reservedRangeAt(address);
        if (reserved.isPresent()) {
            throw new InvalidFreeException(address, order, Problem.RESERVED,
                    "it lies in the reserved range " + reserved.get());
        }
        zone(MemoryZone.of(address)).free(address >>> pageShift, order);
    }

    @Override
    public MemoryStatistics statistics() {
        return new MemoryStatistics(pageSize, maxOrder, zones.stream().map(Zone::statistics).toList());
    }

    private Zone zone(MemoryZone kind) {
        return zones.get(kind.ordinal());
    }

    private void checkOrder(int order) {
        if (order < 0 || order > maxOrder) {
            throw new IllegalArgumentException("order %d outside 0..%d".formatted(order, maxOrder));
        }
    }
}
