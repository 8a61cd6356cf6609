package org.astralisp.kernel.mm;

import static org.astralisp.kernel.api.mm.PhysicalMemoryManager.DMA32_LIMIT;
import static org.astralisp.kernel.api.mm.PhysicalMemoryManager.NO_LIMIT;
import static org.astralisp.kernel.mm.Memory.GiB;
import static org.astralisp.kernel.mm.Memory.KiB;
import static org.astralisp.kernel.mm.Memory.MiB;
import static org.astralisp.kernel.mm.Memory.PAGE_4K;
import static org.astralisp.kernel.mm.Memory.PAGE_64K;
import static org.astralisp.kernel.mm.Memory.allocator;
import static org.astralisp.kernel.mm.Memory.blocks;
import static org.astralisp.kernel.mm.Memory.range;
import static org.astralisp.kernel.mm.Memory.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.OutOfPhysicalMemoryException;
import org.junit.jupiter.api.Test;

/** Zones, DMA limits and alignment: which memory a request may be served from. */
class ContiguousAllocationTest {

    /** 1 GiB below 4 GiB and 1 GiB above, in 64 KiB frames: one order-14 block per zone. */
    private final FrameAllocator pmm = allocator(PAGE_64K, range(3 * GiB, 5 * GiB));

    @Test
    void ordinaryPagesComeFromTheNormalZone() throws OutOfPhysicalMemoryException {
        assertEquals(4 * GiB, pmm.allocate(0));
        assertEquals(1, zone(pmm, MemoryZone.NORMAL).allocatedFrames());
        assertEquals(0, zone(pmm, MemoryZone.DMA32).allocatedFrames());
    }

    @Test
    void ordinaryPagesFallBackToDma32WhenTheNormalZoneIsFull() throws OutOfPhysicalMemoryException {
        assertEquals(4 * GiB, pmm.allocate(14));
        assertEquals(3 * GiB, pmm.allocate(0));
        assertEquals(1, zone(pmm, MemoryZone.NORMAL).failedAllocations());
        assertEquals(0, zone(pmm, MemoryZone.DMA32).failedAllocations());
    }

    @Test
    void runningOutEverywhereNamesEveryZoneTriedInOrder() throws OutOfPhysicalMemoryException {
        pmm.allocate(14);
        pmm.allocate(14);
        OutOfPhysicalMemoryException e = assertThrows(OutOfPhysicalMemoryException.class, () -> pmm.allocate(0));
        assertEquals(List.of(MemoryZone.NORMAL, MemoryZone.DMA32), e.zonesTried());
        assertEquals(PAGE_64K, e.requestedBytes());
        assertEquals(NO_LIMIT, e.limit());
        assertEquals("out of physical memory: 65536 bytes (a block of order 0) aligned to 0x10000: none free in NORMAL, DMA32",
                e.getMessage());
        assertEquals(2, zone(pmm, MemoryZone.NORMAL).failedAllocations());
        assertEquals(1, zone(pmm, MemoryZone.DMA32).failedAllocations());
    }

    @Test
    void aDma32RequestIsServedBelowFourGibibytesEvenWhileNormalMemoryIsFree() throws OutOfPhysicalMemoryException {
        long buffer = pmm.allocateContiguous(200 * KiB, PAGE_64K, DMA32_LIMIT);
        assertEquals(3 * GiB, buffer);
        assertEquals(2, pmm.orderFor(200 * KiB));
        assertEquals(4, zone(pmm, MemoryZone.DMA32).allocatedFrames());
        assertEquals(0, zone(pmm, MemoryZone.NORMAL).failedAllocations(), "a zone above the limit is not tried");
        pmm.free(buffer, pmm.orderFor(200 * KiB));
        assertEquals(0, pmm.statistics().allocatedFrames());
    }

    @Test
    void aDma32RequestFailsWhenOnlyNormalMemoryIsLeft() throws OutOfPhysicalMemoryException {
        pmm.allocateContiguous(GiB, PAGE_64K, DMA32_LIMIT);
        OutOfPhysicalMemoryException e = assertThrows(OutOfPhysicalMemoryException.class,
                () -> pmm.allocateContiguous(PAGE_64K, PAGE_64K, DMA32_LIMIT));
        assertEquals(List.of(MemoryZone.DMA32), e.zonesTried());
        assertEquals(DMA32_LIMIT, e.limit());
        assertEquals(PAGE_64K, e.alignment());
        assertTrue(e.getMessage().contains("below 0x100000000"), e.getMessage());
        assertEquals(GiB / PAGE_64K, zone(pmm, MemoryZone.NORMAL).freeFrames());
    }

    @Test
    void aLimitInsideAZoneIsCheckedBlockByBlock() throws OutOfPhysicalMemoryException {
        FrameAllocator small = allocator(PAGE_4K, range(0, 32 * MiB));
        long isaLimit = 16 * MiB;
        assertEquals(0, small.allocateContiguous(8 * MiB, PAGE_4K, isaLimit));
        assertEquals(8 * MiB, small.allocateContiguous(8 * MiB, PAGE_4K, isaLimit));
        assertThrows(OutOfPhysicalMemoryException.class, () -> small.allocateContiguous(PAGE_4K, PAGE_4K, isaLimit));
        assertEquals(16 * MiB, small.allocate(0), "memory above the limit is still there for others");
    }

    @Test
    void aBlockMustEndBelowTheLimitNotMerelyStartBelowIt() {
        FrameAllocator small = allocator(PAGE_4K, range(0, 32 * MiB));
        assertThrows(OutOfPhysicalMemoryException.class, () -> small.allocateContiguous(32 * MiB, PAGE_4K, 32 * MiB - 1));
    }

    @Test
    void aLimitBelowAllRamTriesNoZone() {
        FrameAllocator high = allocator(PAGE_4K, range(4 * GiB, 4 * GiB + MiB));
        OutOfPhysicalMemoryException e = assertThrows(OutOfPhysicalMemoryException.class,
                () -> high.allocateContiguous(PAGE_4K, PAGE_4K, DMA32_LIMIT));
        assertEquals(List.of(), e.zonesTried());
        assertTrue(e.getMessage().endsWith("no zone with RAM below the limit"), e.getMessage());
        assertEquals(0, zone(high, MemoryZone.DMA32).failedAllocations());
    }

    @Test
    void alignmentBeyondTheBlockSizeFindsTheBlockHeadThatHasIt() throws OutOfPhysicalMemoryException {
        // frames 1..31: order 0 at 1, order 1 at 2, order 2 at 4, order 3 at 8, order 4 at 16
        FrameAllocator small = allocator(PAGE_4K, range(0x1000, 0x20000));
        assertEquals(0x10000, small.allocateContiguous(PAGE_4K, 64 * KiB, NO_LIMIT));
        // the order-4 block at 16 split: order 0 at 17, order 1 at 18, order 2 at 20, order 3 at 24 freed
        assertEquals(blocks(small, 2, 2, 2, 2, 0), zone(small, MemoryZone.DMA32).freeBlocks());
        assertThrows(OutOfPhysicalMemoryException.class, () -> small.allocateContiguous(PAGE_4K, 64 * KiB, NO_LIMIT));
        assertEquals(0x18000, small.allocateContiguous(PAGE_4K, 32 * KiB, NO_LIMIT));
    }

    @Test
    void alignmentBelowThePageSizeMeansPageAligned() throws OutOfPhysicalMemoryException {
        FrameAllocator small = allocator(PAGE_4K, range(0, MiB));
        assertEquals(0, small.allocateContiguous(100, 1, NO_LIMIT));
        assertEquals(PAGE_4K, small.allocateContiguous(100, 512, NO_LIMIT));
    }

    @Test
    void refusesRequestsNoBlockCouldHaveTheShapeOf() {
        assertThrows(IllegalArgumentException.class, () -> pmm.allocateContiguous(0, PAGE_64K, NO_LIMIT));
        assertThrows(IllegalArgumentException.class, () -> pmm.allocateContiguous(GiB + 1, PAGE_64K, NO_LIMIT));
        assertThrows(IllegalArgumentException.class, () -> pmm.allocateContiguous(PAGE_64K, 3 * PAGE_64K, NO_LIMIT));
        assertThrows(IllegalArgumentException.class, () -> pmm.allocateContiguous(PAGE_64K, 0, NO_LIMIT));
        assertThrows(IllegalArgumentException.class, () -> pmm.allocateContiguous(PAGE_64K, PAGE_64K, 0));
        assertEquals(0, pmm.statistics().allocatedFrames());
    }
}
