package org.astralisp.kernel.mm;

import org.astralisp.hal.api.paging.FrameSource;
import org.astralisp.hal.api.paging.OutOfFramesException;
import org.astralisp.kernel.api.mm.OutOfPhysicalMemoryException;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.machine.port.PhysicalMemory;

/**
 * The PMM as the HAL's page tables see it: single frames of the PMM's page size, zero-filled.
 *
 * <p>The PMM does not zero frames (most callers overwrite them); a page table must start with every
 * entry invalid, so this source zeroes each frame through {@link PhysicalMemory#slice} before handing
 * it out. Invariants: every frame handed out is an order-0 block of the PMM, all zero at that moment,
 * and goes back to the PMM as an order-0 block; the class holds no state of its own, so it is as
 * thread-safe as the PMM.
 */
public final class ZeroedFrameSource implements FrameSource {

    private final PhysicalMemoryManager pmm;
    private final PhysicalMemory ram;

    /** Frames from {@code pmm}, zeroed in {@code ram}, which must hold every frame {@code pmm} hands out. */
    public ZeroedFrameSource(PhysicalMemoryManager pmm, PhysicalMemory ram) {
        this.pmm = pmm;
        this.ram = ram;
    }

    @Override
    public int frameSize() {
        return pmm.pageSize();
    }

    /**
     * @throws OutOfFramesException with the PMM's message if no frame is free
     */
    @Override
    public long allocate() {
        long frame;
        try {
            frame = pmm.allocate(0);
        } catch (OutOfPhysicalMemoryException e) {
            throw new OutOfFramesException(e.getMessage());
        }
        ram.slice(frame, pmm.pageSize()).fill((byte) 0);
        return frame;
    }

    /**
     * @throws org.astralisp.kernel.api.mm.InvalidFreeException if {@code frame} is not an allocated
     *     order-0 block (a double free, say), leaving the PMM unchanged
     */
    @Override
    public void free(long frame) {
        pmm.free(frame, 0);
    }
}
