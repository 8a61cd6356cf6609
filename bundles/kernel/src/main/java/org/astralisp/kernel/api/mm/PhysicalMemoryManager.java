package org.astralisp.kernel.api.mm;

/**
 * The physical memory manager: hands out frames of guest RAM in blocks of
 * {@code 2^order} frames, each aligned to its own size, and takes them back.
 *
 * <p>Ordinary allocations ({@link #allocate}) prefer the {@link MemoryZone#NORMAL}
 * zone and fall back to {@link MemoryZone#DMA32}; contiguous allocations for
 * DMA ({@link #allocateContiguous}) take an alignment and an address limit.
 * Reserved ranges (kernel image, device tree blob, firmware) are never handed
 * out.
 *
 * <p>Every method is safe to call from any number of threads (vCPUs) at once.
 * A free is checked before anything changes: a free that does not name a block
 * the caller holds throws {@link InvalidFreeException} and leaves the manager
 * as it was. Running out of memory throws the checked
 * {@link OutOfPhysicalMemoryException}, naming the request and the zones tried.
 */
public interface PhysicalMemoryManager {

    /** {@link #allocateContiguous} limit meaning "anywhere". */
    long NO_LIMIT = Long.MAX_VALUE;

    /** {@link #allocateContiguous} limit for devices with 32-bit DMA addresses. */
    long DMA32_LIMIT = MemoryZone.DMA32.end();

    /** The frame size in bytes: the architecture's page size (4096 or 65536). */
    int pageSize();

    /** The largest block order: blocks range from one frame to {@code 2^maxOrder} frames. */
    int maxOrder();

    /**
     * The order of the smallest block that holds {@code bytes}.
     *
     * @throws IllegalArgumentException if {@code bytes} is not positive or
     *     exceeds the largest block
     */
    int orderFor(long bytes);

    /**
     * Allocates a block of {@code 2^order} frames, aligned to its size, from
     * the normal zone if it has one that fits, else from DMA32.
     *
     * @return the physical address of the block's first frame
     * @throws IllegalArgumentException if order is outside {@code 0..maxOrder()}
     * @throws OutOfPhysicalMemoryException if no zone has a free block of that order
     */
    long allocate(int order) throws OutOfPhysicalMemoryException;

    /**
     * Allocates physically contiguous memory for DMA: the block of
     * {@link #orderFor orderFor(bytes)} frames, at an address that is a
     * multiple of {@code alignment}, lying wholly below {@code limit}. Zones
     * are tried normal first, skipping those that start at or above the
     * limit. Free it with {@code free(address, orderFor(bytes))}.
     *
     * @param bytes the size needed, at most the largest block
     * @param alignment a power of two, in bytes; the block is always aligned to
     *     at least the page size
     * @param limit the exclusive upper bound on the block's last byte + 1:
     *     {@link #DMA32_LIMIT} for a 32-bit device, {@link #NO_LIMIT} for none
     * @return the physical address of the block's first frame
     * @throws IllegalArgumentException if bytes is not positive or exceeds the
     *     largest block, alignment is not a power of two, or limit is not positive
     * @throws OutOfPhysicalMemoryException if no zone has a fitting free block
     */
    long allocateContiguous(long bytes, long alignment, long limit) throws OutOfPhysicalMemoryException;

    /**
     * Frees the block of {@code 2^order} frames at {@code address}, as
     * returned by an allocation with the same order, and merges it with its
     * free buddies.
     *
     * @throws InvalidFreeException naming the address and what is wrong if it
     *     is not the head of an allocated block of that order; nothing changes
     */
    void free(long address, int order);

    /** A snapshot of every zone's statistics. */
    MemoryStatistics statistics();
}
