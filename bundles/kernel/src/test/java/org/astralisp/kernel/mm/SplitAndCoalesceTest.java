package org.astralisp.kernel.mm;

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

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.OutOfPhysicalMemoryException;
import org.junit.jupiter.api.Test;

/** Worked examples of splitting and coalescing on a 1 MiB range of 4 KiB frames (256 frames, one order-8 block). */
class SplitAndCoalesceTest {

    private final FrameAllocator pmm = allocator(PAGE_4K, range(0, MiB));

    @Test
    void anEmptyMegabyteIsOneBlockOfOrderEight() {
        assertEquals(blocks(pmm, 0, 0, 0, 0, 0, 0, 0, 0, 1), zone(pmm, MemoryZone.DMA32).freeBlocks());
        assertEquals(256, zone(pmm, MemoryZone.DMA32).freeFrames());
    }

    @Test
    void allocatingOneFrameSplitsTheBlockOnceAtEveryOrderBelowIt() throws OutOfPhysicalMemoryException {
        assertEquals(0, pmm.allocate(0));
        // 1 MiB -> 512 KiB + [512 KiB, 1 MiB) free, ... , 8 KiB -> 4 KiB + [4 KiB, 8 KiB) free:
        // one free block of each order 0..7, the upper half split off at each level.
        assertEquals(blocks(pmm, 1, 1, 1, 1, 1, 1, 1, 1, 0), zone(pmm, MemoryZone.DMA32).freeBlocks());
        for (int order = 0; order <= 7; order++) {
            assertEquals((4 * KiB) << order, pmm.allocate(order), "the split-off block of order " + order);
        }
        assertEquals(0, zone(pmm, MemoryZone.DMA32).freeFrames());
    }

    @Test
    void freeingTheFrameAgainCoalescesEveryLevelBackIntoOneBlock() throws OutOfPhysicalMemoryException {
        long frame = pmm.allocate(0);
        pmm.free(frame, 0);
        assertEquals(blocks(pmm, 0, 0, 0, 0, 0, 0, 0, 0, 1), zone(pmm, MemoryZone.DMA32).freeBlocks());
    }

    @Test
    void aBlockDoesNotMergeWhileItsBuddyIsAllocated() throws OutOfPhysicalMemoryException {
        long first = pmm.allocate(0);
        long second = pmm.allocate(0);
        assertEquals(4 * KiB, second);
        pmm.free(first, 0);
        assertEquals(blocks(pmm, 1, 1, 1, 1, 1, 1, 1, 1, 0), zone(pmm, MemoryZone.DMA32).freeBlocks());
        pmm.free(second, 0);
        assertEquals(blocks(pmm, 0, 0, 0, 0, 0, 0, 0, 0, 1), zone(pmm, MemoryZone.DMA32).freeBlocks());
    }

    @Test
    void freeingEveryFrameInAnyOrderCoalescesFully() throws OutOfPhysicalMemoryException {
        List<Long> frames = new ArrayList<>();
        for (int i = 0; i < 256; i++) {
            frames.add(pmm.allocate(0));
        }
        assertThrows(OutOfPhysicalMemoryException.class, () -> pmm.allocate(0));
        Collections.shuffle(frames, new Random(7));
        for (long frame : frames) {
            pmm.free(frame, 0);
        }
        assertEquals(blocks(pmm, 0, 0, 0, 0, 0, 0, 0, 0, 1), zone(pmm, MemoryZone.DMA32).freeBlocks());
    }

    @Test
    void theLastFreedBlockIsHandedOutFirst() throws OutOfPhysicalMemoryException {
        long a = pmm.allocate(0);
        pmm.allocate(0);
        long c = pmm.allocate(0);
        pmm.allocate(0);
        pmm.free(a, 0);
        pmm.free(c, 0);
        assertEquals(c, pmm.allocate(0));
        assertEquals(a, pmm.allocate(0));
    }

    @Test
    void blocksStopGrowingAtTheLargestOrder() throws OutOfPhysicalMemoryException {
        FrameAllocator big = allocator(PAGE_64K, range(0, 4 * GiB));
        assertEquals(14, big.maxOrder());
        assertEquals(blocks(big, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4), zone(big, MemoryZone.DMA32).freeBlocks());
        long block = big.allocate(14);
        big.free(block, 14);
        assertEquals(4, zone(big, MemoryZone.DMA32).freeBlocks(14));
    }

    @Test
    void theLargestBlockIsOneGibibyteWhateverThePageSize() {
        assertEquals(18, pmm.maxOrder());
        assertEquals(14, allocator(PAGE_64K, range(0, MiB)).maxOrder());
    }

    @Test
    void ordersOutsideTheRangeAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> pmm.allocate(-1));
        assertThrows(IllegalArgumentException.class, () -> pmm.allocate(19));
    }

    @Test
    void anOrderLargerThanAnyFreeBlockRunsOutOfMemory() {
        OutOfPhysicalMemoryException e = assertThrows(OutOfPhysicalMemoryException.class, () -> pmm.allocate(9));
        assertEquals(9, e.order());
        assertEquals(2 * MiB, e.requestedBytes());
        assertEquals(List.of(MemoryZone.DMA32), e.zonesTried());
    }

    @Test
    void orderForRoundsUpToWholeFramesAndPowersOfTwo() {
        assertEquals(0, pmm.orderFor(1));
        assertEquals(0, pmm.orderFor(4096));
        assertEquals(1, pmm.orderFor(4097));
        assertEquals(2, pmm.orderFor(12 * KiB));
        assertEquals(18, pmm.orderFor(GiB));
        assertThrows(IllegalArgumentException.class, () -> pmm.orderFor(0));
        assertThrows(IllegalArgumentException.class, () -> pmm.orderFor(GiB + 1));
    }
}
