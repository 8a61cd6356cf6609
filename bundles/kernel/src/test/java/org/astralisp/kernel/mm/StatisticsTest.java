package org.astralisp.kernel.mm;

import static org.astralisp.kernel.mm.Memory.GiB;
import static org.astralisp.kernel.mm.Memory.MiB;
import static org.astralisp.kernel.mm.Memory.PAGE_4K;
import static org.astralisp.kernel.mm.Memory.blocks;
import static org.astralisp.kernel.mm.Memory.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.astralisp.kernel.api.mm.MemoryStatistics;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.OutOfPhysicalMemoryException;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.mm.ZoneStatistics;
import org.junit.jupiter.api.Test;

/** Every statistic is exact after a known sequence of allocations and frees. */
class StatisticsTest {

    /** 2 MiB below 4 GiB and 1 MiB above, with 8 KiB of the lower part reserved. */
    private final FrameAllocator pmm = new FrameAllocator(PAGE_4K,
            List.of(range(4 * GiB - 2 * MiB, 4 * GiB + MiB)),
            List.of(range(4 * GiB - 2 * MiB, 4 * GiB - 2 * MiB + 8 * 1024)));

    @Test
    void statisticsStartWithEveryUsableFrameFree() {
        MemoryStatistics s = pmm.statistics();
        assertEquals(PAGE_4K, s.pageSize());
        assertEquals(18, s.maxOrder());
        assertEquals(new ZoneStatistics(MemoryZone.DMA32, 510, 2, 510,
                blocks(pmm, 0, 1, 1, 1, 1, 1, 1, 1, 1), 0), s.zone(MemoryZone.DMA32));
        assertEquals(new ZoneStatistics(MemoryZone.NORMAL, 256, 0, 256,
                blocks(pmm, 0, 0, 0, 0, 0, 0, 0, 0, 1), 0), s.zone(MemoryZone.NORMAL));
        assertEquals(766, s.totalFrames());
        assertEquals(766, s.freeFrames());
        assertEquals(0, s.allocatedFrames());
    }

    /**
     * NORMAL serves the order-8 block; the order-3 block fails there (its
     * first failure) and comes from DMA32; the DMA32-limited frame splits the
     * order-1 block at frame 2; order 9 fits nowhere (a failure in each zone).
     */
    @Test
    void statisticsFollowEveryAllocationFreeAndFailure() throws OutOfPhysicalMemoryException {
        long normal = pmm.allocate(8);
        long dma = pmm.allocate(3);
        pmm.allocateContiguous(PAGE_4K, PAGE_4K, PhysicalMemoryManager.DMA32_LIMIT);
        assertThrows(OutOfPhysicalMemoryException.class, () -> pmm.allocate(9));
        pmm.free(normal, 8);
        MemoryStatistics s = pmm.statistics();
        assertEquals(new ZoneStatistics(MemoryZone.NORMAL, 256, 0, 256,
                blocks(pmm, 0, 0, 0, 0, 0, 0, 0, 0, 1), 2), s.zone(MemoryZone.NORMAL));
        ZoneStatistics dma32 = s.zone(MemoryZone.DMA32);
        assertEquals(9, dma32.allocatedFrames());
        assertEquals(501, dma32.freeFrames());
        assertEquals(blocks(pmm, 1, 0, 1, 0, 1, 1, 1, 1, 1), dma32.freeBlocks());
        assertEquals(1, dma32.failedAllocations());
        assertEquals(9, s.allocatedFrames());
        assertEquals(4 * GiB - 2 * MiB + 8 * PAGE_4K, dma, "the order-3 block after the reserved frames");
    }
}
