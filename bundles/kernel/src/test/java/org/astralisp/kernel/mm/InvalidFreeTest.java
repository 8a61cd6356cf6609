package org.astralisp.kernel.mm;

import static org.astralisp.kernel.mm.Memory.KiB;
import static org.astralisp.kernel.mm.Memory.MiB;
import static org.astralisp.kernel.mm.Memory.PAGE_4K;
import static org.astralisp.kernel.mm.Memory.blocks;
import static org.astralisp.kernel.mm.Memory.range;
import static org.astralisp.kernel.mm.Memory.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.astralisp.kernel.api.mm.InvalidFreeException;
import org.astralisp.kernel.api.mm.InvalidFreeException.Problem;
import org.astralisp.kernel.api.mm.MemoryStatistics;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.OutOfPhysicalMemoryException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every kind of bad free is detected, named, and changes nothing. After each
 * test the blocks it holds are freed properly and memory must coalesce back
 * to what it was, which it could not if a rejected free had touched a frame
 * map byte or a free list.
 */
class InvalidFreeTest {

    /**
     * 1 MiB of 4 KiB frames with frame 128 reserved: free blocks of order 7
     * at frame 0, then orders 0, 1, ..., 6 at frames 129, 130, 132, ..., 192.
     * The held block is frame 132 (order 2), the held frame is 129.
     */
    private final FrameAllocator pmm = new FrameAllocator(PAGE_4K, List.of(range(0, MiB)),
            List.of(range(512 * KiB, 516 * KiB)));
    private MemoryStatistics pristine;
    private long block;
    private long frame;
    private MemoryStatistics before;

    @BeforeEach
    void holdAnOrderTwoBlockAndAFrame() throws OutOfPhysicalMemoryException {
        pristine = pmm.statistics();
        block = pmm.allocate(2);
        frame = pmm.allocate(0);
        assertEquals(132 * PAGE_4K, block);
        assertEquals(129 * PAGE_4K, frame);
        before = pmm.statistics();
    }

    @AfterEach
    void heldBlocksStillFreeAndEverythingCoalesces() {
        pmm.free(block, 2);
        pmm.free(frame, 0);
        assertEquals(pristine, pmm.statistics());
    }

    private InvalidFreeException rejected(long address, int order, Problem problem) {
        InvalidFreeException e = assertThrows(InvalidFreeException.class, () -> pmm.free(address, order));
        assertEquals(problem, e.problem(), e.getMessage());
        assertEquals(address, e.address());
        assertEquals(order, e.order());
        assertEquals(before, pmm.statistics(), "a rejected free changed the statistics");
        return e;
    }

    @Test
    void freeingABlockTwiceIsADoubleFree() throws OutOfPhysicalMemoryException {
        long other = pmm.allocate(0);
        long neighbour = pmm.allocate(0);
        pmm.free(other, 0);
        before = pmm.statistics();
        InvalidFreeException e = rejected(other, 0, Problem.DOUBLE_FREE);
        assertEquals("invalid free of 0x%x order 0: double free: the block there (order 0) is already free".formatted(other),
                e.getMessage());
        pmm.free(neighbour, 0);
    }

    @Test
    void freeingAFrameInsideACoalescedFreeBlockIsADoubleFree() {
        InvalidFreeException e = rejected(5 * PAGE_4K, 0, Problem.DOUBLE_FREE);
        assertEquals("invalid free of 0x5000 order 0: double free: it lies inside the free block at 0x0 of order 7",
                e.getMessage());
    }

    @Test
    void freeingAFrameInsideAnAllocatedBlockIsNotABlockHead() {
        InvalidFreeException e = rejected(block + PAGE_4K, 0, Problem.NOT_BLOCK_HEAD);
        assertEquals(("invalid free of 0x%x order 0: not the head of a block: "
                + "it lies inside the allocated block at 0x%x of order 2").formatted(block + PAGE_4K, block), e.getMessage());
        rejected(block + 3 * PAGE_4K, 2, Problem.NOT_BLOCK_HEAD);
    }

    @Test
    void freeingWithAnotherOrderThanAllocatedIsAWrongOrder() {
        InvalidFreeException e = rejected(block, 1, Problem.WRONG_ORDER);
        assertEquals("invalid free of 0x%x order 1: wrong order: the block there was allocated with order 2".formatted(block),
                e.getMessage());
        rejected(block, 3, Problem.WRONG_ORDER);
        rejected(frame, 2, Problem.WRONG_ORDER);
    }

    @Test
    void freeingAnAddressOutsideRamIsNotRam() {
        rejected(MiB, 0, Problem.NOT_RAM);
        rejected(1L << 32, 0, Problem.NOT_RAM);
        rejected(-PAGE_4K, 0, Problem.NOT_RAM);
    }

    @Test
    void freeingAReservedFrameIsReserved() {
        InvalidFreeException e = rejected(512 * KiB, 0, Problem.RESERVED);
        assertEquals("invalid free of 0x80000 order 0: reserved: it lies in the reserved range [0x80000, 0x81000)",
                e.getMessage());
    }

    @Test
    void freeingAnAddressThatIsNotPageAlignedIsMisaligned() {
        rejected(block + 8, 2, Problem.MISALIGNED);
    }

    @Test
    void freeingWithAnOrderOutsideTheRangeIsRefused() {
        rejected(block, -1, Problem.ORDER_OUT_OF_RANGE);
        rejected(block, pmm.maxOrder() + 1, Problem.ORDER_OUT_OF_RANGE);
    }

    @Test
    void aRejectedFreeLeavesTheFreeListsUsable() throws OutOfPhysicalMemoryException {
        rejected(frame, 1, Problem.WRONG_ORDER);
        rejected(block + 16 * KiB, 0, Problem.DOUBLE_FREE);
        assertEquals(blocks(pmm, 0, 1, 0, 1, 1, 1, 1, 1), zone(pmm, MemoryZone.DMA32).freeBlocks());
        long next = pmm.allocate(0);
        assertEquals(frame + PAGE_4K, next);
        pmm.free(next, 0);
    }
}
