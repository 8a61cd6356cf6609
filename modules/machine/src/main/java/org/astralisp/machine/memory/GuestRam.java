package org.astralisp.machine.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.astralisp.machine.bus.PhysicalRange;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * Guest RAM: one anonymous host mapping of the guest's whole RAM, committed by
 * the host page by page as the guest (or a device doing DMA) first touches it.
 *
 * <p>Invariants: the segment is exactly {@link #range()} long; offset
 * {@code p - base()} holds guest-physical address {@code p}; untouched pages
 * read as zero and cost no host memory. The mapping belongs to a shared arena,
 * so after {@link #close()} every access from any thread throws
 * {@link IllegalStateException} instead of touching unmapped memory, and only
 * then is the mapping removed.
 */
public final class GuestRam implements PhysicalMemory, AutoCloseable {

    private final PhysicalRange range;
    private final Arena arena;
    private final MemorySegment segment;

    private GuestRam(PhysicalRange range, Arena arena, MemorySegment segment) {
        this.range = range;
        this.arena = arena;
        this.segment = segment;
    }

    /**
     * Maps RAM at guest-physical {@code range}.
     *
     * @throws HostMemoryException if the range is larger than the host's
     *         physical memory, or the host refuses the mapping
     */
    public static GuestRam map(PhysicalRange range) {
        return map(range, HostMemory.physicalMemory());
    }

    /** {@link #map(PhysicalRange)} on a host with {@code host} bytes of physical memory. */
    static GuestRam map(PhysicalRange range, long host) {
        if (range.size() > host) {
            throw new HostMemoryException("guest RAM of " + range.size() + " bytes is more than the host's "
                    + host + " bytes of physical memory");
        }
        Arena arena = Arena.ofShared();
        try {
            return new GuestRam(range, arena, HostMemory.mapAnonymous(range.size(), arena));
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public PhysicalRange range() {
        return range;
    }

    @Override
    public long base() {
        return range.base();
    }

    @Override
    public long size() {
        return range.size();
    }

    @Override
    public MemorySegment segment() {
        return segment;
    }

    @Override
    public MemorySegment slice(long physical, long length) {
        if (!range.contains(physical, length)) {
            throw new IllegalArgumentException("guest-physical [0x" + Long.toHexString(physical) + ", +0x"
                    + Long.toHexString(length) + ") is not all RAM (RAM is " + range + ")");
        }
        return segment.asSlice(physical - range.base(), length);
    }

    /** Makes RAM inaccessible on every thread, then unmaps it. Call once. */
    @Override
    public void close() {
        arena.close();
    }
}
