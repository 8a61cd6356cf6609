package org.astralisp.kernel.mm;

import java.util.Arrays;

/**
 * The free lists of one zone, one per order: doubly linked lists of the heads
 * of free blocks, threaded through two arrays indexed by frame index. A frame
 * is on at most one list (only the head of a free block is listed), so one
 * pair of link arrays serves every order; push and remove are O(1) and
 * allocate nothing.
 *
 * <p>Lists are LIFO: the block freed last is handed out first.
 *
 * <p>Invariants: for each order, following {@code next} from {@code head}
 * visits {@code length} distinct frames and ends at {@link FrameIndex#NONE};
 * {@code prev} mirrors {@code next}. Links of frames on no list are
 * meaningless. Which frames are listed is the {@link BuddyAllocator}'s
 * business: exactly the heads of free blocks, on the list of their order.
 *
 * <p>Not thread-safe: the owning zone's lock guards it.
 */
final class FreeLists {

    private static final int NONE = FrameIndex.NONE;

    private final int[] next;
    private final int[] prev;
    private final int[] head;
    private final int[] length;

    FreeLists(int frames, int maxOrder) {
        next = new int[frames];
        prev = new int[frames];
        head = new int[maxOrder + 1];
        length = new int[maxOrder + 1];
        Arrays.fill(head, NONE);
    }

    /** Puts {@code index}, which is on no list, at the front of the list of {@code order}. */
    void push(int index, int order) {
        int first = head[order];
        next[index] = first;
        prev[index] = NONE;
        if (first != NONE) {
            prev[first] = index;
        }
        head[order] = index;
        length[order]++;
    }

    /** Takes {@code index}, which is on the list of {@code order}, off it. */
    void remove(int index, int order) {
        int before = prev[index];
        int after = next[index];
        if (before == NONE) {
            head[order] = after;
        } else {
            next[before] = after;
        }
        if (after != NONE) {
            prev[after] = before;
        }
        length[order]--;
    }

    /** The front of the list of {@code order}, or {@link FrameIndex#NONE} if it is empty. */
    int first(int order) {
        return head[order];
    }

    /** The frame after {@code index} on its list, or {@link FrameIndex#NONE}. */
    int next(int index) {
        return next[index];
    }

    int length(int order) {
        return length[order];
    }
}
