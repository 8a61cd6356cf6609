package org.astralisp.kernel.api.mm;

import java.util.List;
import java.util.stream.Collectors;

/**
 * No zone that may serve a request had a free block that fits it. Checked on
 * purpose: running out of frames is an expected outcome under load, and every
 * caller must decide what it means for it (evict cached pages and retry, fail
 * the system call, refuse to bind a device).
 *
 * <p>Under concurrent use each zone is examined under its own lock, one after
 * the other: the exception means that every zone tried had nothing that fit
 * at the moment it was examined.
 */
public final class OutOfPhysicalMemoryException extends Exception {

    private final long requestedBytes;
    private final int order;
    private final long alignment;
    private final long limit;
    private final List<MemoryZone> zonesTried;

    /**
     * @param requestedBytes the size asked for
     * @param order the order of the block that would have served it
     * @param alignment the alignment asked for, in bytes
     * @param limit the exclusive upper bound on the block's end, or
     *     {@link PhysicalMemoryManager#NO_LIMIT}
     * @param zonesTried the zones examined, in the order they were tried;
     *     empty if no zone with RAM lies below the limit
     */
    public OutOfPhysicalMemoryException(long requestedBytes, int order, long alignment, long limit,
            List<MemoryZone> zonesTried) {
        super("out of physical memory: %d bytes (a block of order %d) aligned to 0x%x%s: %s".formatted(
                requestedBytes, order, alignment,
                limit == PhysicalMemoryManager.NO_LIMIT ? "" : " below 0x%x".formatted(limit),
                zonesTried.isEmpty()
                        ? "no zone with RAM below the limit"
                        : "none free in " + zonesTried.stream().map(MemoryZone::name)
                                .collect(Collectors.joining(", "))));
        this.requestedBytes = requestedBytes;
        this.order = order;
        this.alignment = alignment;
        this.limit = limit;
        this.zonesTried = List.copyOf(zonesTried);
    }

    public long requestedBytes() {
        return requestedBytes;
    }

    public int order() {
        return order;
    }

    public long alignment() {
        return alignment;
    }

    public long limit() {
        return limit;
    }

    public List<MemoryZone> zonesTried() {
        return zonesTried;
    }
}
