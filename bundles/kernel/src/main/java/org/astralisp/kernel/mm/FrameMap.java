package org.astralisp.kernel.mm;

/**
 * The state of every usable frame of a zone, one byte per frame index: the
 * per-frame record that lets the allocator check a free before it touches
 * anything.
 *
 * <p>A frame is the head of a free block of order {@code k}, the head of an
 * allocated block of order {@code k}, or a tail (any other frame of a block).
 * Invariant, kept by {@link BuddyAllocator}: every usable frame belongs to
 * exactly one block, and a frame is marked as a head exactly when it is the
 * first frame of a block, with that block's order. Only head bytes change when
 * blocks split or merge, so both cost one write per level, not one per frame.
 *
 * <p>Not thread-safe: the owning zone's lock guards it.
 */
final class FrameMap {

    private static final byte TAIL = 0;
    private static final int FREE = 0x40;
    private static final int ALLOCATED = 0x20;
    private static final int ORDER_MASK = 0x1f;

    private final byte[] state;

    /** A map of {@code frames} tails: the caller marks the heads. */
    FrameMap(int frames) {
        state = new byte[frames];
    }

    boolean isFree(int index, int order) {
        return state[index] == (FREE | order);
    }

    boolean isAllocated(int index, int order) {
        return state[index] == (ALLOCATED | order);
    }

    boolean isFreeHead(int index) {
        return (state[index] & FREE) != 0;
    }

    boolean isAllocatedHead(int index) {
        return (state[index] & ALLOCATED) != 0;
    }

    boolean isHead(int index) {
        return state[index] != TAIL;
    }

    /** The order of the block headed by {@code index}; meaningful for heads only. */
    int order(int index) {
        return state[index] & ORDER_MASK;
    }

    void markFree(int index, int order) {
        state[index] = (byte) (FREE | order);
    }

    void markAllocated(int index, int order) {
        state[index] = (byte) (ALLOCATED | order);
    }

    void markTail(int index) {
        state[index] = TAIL;
    }
}
