package org.astralisp.kernel.mm;

import java.util.ArrayList;
import java.util.List;
import org.astralisp.kernel.api.mm.InvalidFreeException;
import org.astralisp.kernel.api.mm.InvalidFreeException.Problem;

/**
 * The binary buddy system (Knowlton 1965; Knuth, TAOCP vol. 1 §2.5) over the
 * usable frames of one zone.
 *
 * <p>A block of order {@code k} is {@code 2^k} frames whose first frame number
 * is a multiple of {@code 2^k}; its buddy is the block of the same order whose
 * frame number differs only in bit {@code k}. Allocation takes the smallest
 * free block that fits and splits it, keeping the lower half and listing the
 * upper halves; freeing merges a block with its buddy as long as the buddy is
 * free and whole, and lists the result.
 *
 * <p>Invariants, true between calls:
 * <ol>
 * <li>Every usable frame belongs to exactly one block, free or allocated;
 *     every block is aligned to its size and lies within one extent of the
 *     {@link FrameIndex}.
 * <li>{@link FrameMap} marks a frame as the head of a free (allocated) block
 *     of order {@code k} exactly when it is one; every other frame is a tail.
 * <li>A frame is on the {@link FreeLists} list of order {@code k} exactly
 *     when it is the head of a free block of order {@code k}.
 * <li>No two free blocks of the same order below {@code maxOrder} are buddies:
 *     free memory is always fully coalesced. Hence the free blocks are the
 *     maximal aligned runs of free frames, determined by which frames are free
 *     and not by the history that freed them.
 * <li>{@code freeFrames} is the sum of {@code 2^k} over the free blocks.
 * </ol>
 *
 * <p>Every free is checked against the frame map before anything changes, so a
 * rejected free leaves all of the above as it was.
 *
 * <p>Not thread-safe: the owning {@link Zone}'s lock guards every call.
 */
final class BuddyAllocator {

    /** "No block fits": what {@link #allocate} returns instead of a frame number. */
    static final long NO_BLOCK = -1;

    private static final int NONE = FrameIndex.NONE;

    private final int pageShift;
    private final int maxOrder;
    private final FrameIndex frames;
    private final FrameMap map;
    private final FreeLists free;
    private long freeFrames;

    /**
     * An allocator with every usable frame free, in the fewest blocks: each
     * extent cut into maximal aligned blocks of at most {@code maxOrder}.
     */
    BuddyAllocator(int pageShift, int maxOrder, FrameIndex frames) {
        this.pageShift = pageShift;
        this.maxOrder = maxOrder;
        this.frames = frames;
        this.map = new FrameMap(frames.size());
        this.free = new FreeLists(frames.size(), maxOrder);
        List<FrameRange> extents = frames.extents();
        for (int e = extents.size() - 1; e >= 0; e--) {
            listFreeBlocksOf(extents.get(e));
        }
    }

    /**
     * Lists the blocks of {@code extent} from its top down, so that each
     * list's front is its lowest block and allocation starts at low addresses.
     * Cutting from the top gives the same blocks as cutting from the bottom:
     * the maximal aligned runs are unique.
     */
    private void listFreeBlocksOf(FrameRange extent) {
        long end = extent.end();
        while (end > extent.first()) {
            int order = Math.min(maxOrder, Long.numberOfTrailingZeros(end));
            while (end - (1L << order) < extent.first()) {
                order--;
            }
            end -= 1L << order;
            int block = frames.indexOf(end);
            map.markFree(block, order);
            free.push(block, order);
            freeFrames += 1L << order;
        }
    }

    /**
     * Allocates a block of {@code order} whose first frame number is a
     * multiple of {@code alignFrames} and which ends at or below frame
     * {@code limitPfn}.
     *
     * <p>Orders are searched upward from {@code order}, so the smallest fitting
     * block is split. Only a free block's head needs testing: the block handed
     * out is the lowest part of the free block it is cut from, and a free
     * block of order {@code j} contains no address aligned to more than
     * {@code 2^j} frames other than its head. When every block of an order
     * fits (the alignment is at most the block size and the limit lies above
     * the zone), the list's front is taken at once; otherwise the list is
     * scanned.
     *
     * @param alignFrames a power of two
     * @return the frame number of the block, or {@link #NO_BLOCK}
     */
    long allocate(int order, long alignFrames, long limitPfn) {
        for (int j = order; j <= maxOrder; j++) {
            int block = fittingBlock(j, order, alignFrames, limitPfn);
            if (block != NONE) {
                free.remove(block, j);
                while (j > order) {
                    j--;
                    int upper = block + (1 << j);
                    map.markFree(upper, j);
                    free.push(upper, j);
                }
                map.markAllocated(block, order);
                freeFrames -= 1L << order;
                return frames.pfnOf(block);
            }
        }
        return NO_BLOCK;
    }

    private int fittingBlock(int listOrder, int order, long alignFrames, long limitPfn) {
        boolean everyBlockFits = alignFrames <= (1L << listOrder) && limitPfn >= frames.endPfn();
        for (int block = free.first(listOrder); block != NONE; block = free.next(block)) {
            if (everyBlockFits) {
                return block;
            }
            long pfn = frames.pfnOf(block);
            if ((pfn & (alignFrames - 1)) == 0 && pfn + (1L << order) <= limitPfn) {
                return block;
            }
        }
        return NONE;
    }

    /**
     * Frees the block of {@code order} at frame {@code pfn} and merges it with
     * its buddies while they are free.
     *
     * @throws InvalidFreeException unless {@code pfn} heads an allocated block
     *     of exactly {@code order}; nothing changes then
     */
    void free(long pfn, int order) {
        int block = frames.indexOf(pfn);
        if (block == NONE) {
            throw invalid(pfn, order, Problem.NOT_RAM, "no usable RAM frame there");
        }
        if (!map.isAllocated(block, order)) {
            throw rejection(block, pfn, order);
        }
        freeFrames += 1L << order;
        int k = order;
        while (k < maxOrder) {
            long buddyPfn = pfn ^ (1L << k);
            int buddy = frames.indexInExtentOf(block, buddyPfn);
            if (buddy == NONE || !map.isFree(buddy, k)) {
                break;
            }
            free.remove(buddy, k);
            map.markTail(Math.max(block, buddy));
            block = Math.min(block, buddy);
            pfn = Math.min(pfn, buddyPfn);
            k++;
        }
        map.markFree(block, k);
        free.push(block, k);
    }

    /** Why freeing the frame at {@code block} with {@code order} is wrong; it is not an allocated head of that order. */
    private InvalidFreeException rejection(int block, long pfn, int order) {
        if (map.isFreeHead(block)) {
            return invalid(pfn, order, Problem.DOUBLE_FREE,
                    "the block there (order %d) is already free".formatted(map.order(block)));
        }
        if (map.isAllocatedHead(block)) {
            return invalid(pfn, order, Problem.WRONG_ORDER,
                    "the block there was allocated with order %d".formatted(map.order(block)));
        }
        int head = headOfBlockAround(block, pfn);
        String where = "it lies inside the %s block at 0x%x of order %d".formatted(
                map.isFreeHead(head) ? "free" : "allocated", frames.pfnOf(head) << pageShift, map.order(head));
        return invalid(pfn, order, map.isFreeHead(head) ? Problem.DOUBLE_FREE : Problem.NOT_BLOCK_HEAD, where);
    }

    /**
     * The head of the block containing the tail frame {@code block}: the first
     * head at or below it, at an aligned frame number, whose block reaches it.
     * Invariant 1 guarantees there is one.
     */
    private int headOfBlockAround(int block, long pfn) {
        for (int k = 1; k <= maxOrder; k++) {
            long candidatePfn = pfn & -(1L << k);
            int candidate = frames.indexInExtentOf(block, candidatePfn);
            if (candidate != NONE && map.isHead(candidate) && candidatePfn + (1L << map.order(candidate)) > pfn) {
                return candidate;
            }
        }
        throw new IllegalStateException("frame map corrupt: no block contains frame 0x%x".formatted(pfn << pageShift));
    }

    private InvalidFreeException invalid(long pfn, int order, Problem problem, String detail) {
        return new InvalidFreeException(pfn << pageShift, order, problem, detail);
    }

    /** The number of usable frames. */
    long totalFrames() {
        return frames.size();
    }

    long freeFrames() {
        return freeFrames;
    }

    /** The number of free blocks of each order, index = order. */
    List<Long> freeBlocks() {
        List<Long> counts = new ArrayList<>(maxOrder + 1);
        for (int k = 0; k <= maxOrder; k++) {
            counts.add((long) free.length(k));
        }
        return counts;
    }
}
