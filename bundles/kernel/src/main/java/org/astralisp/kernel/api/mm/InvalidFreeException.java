package org.astralisp.kernel.api.mm;

/**
 * A free that does not name a block the caller holds. The manager checks
 * every free before it changes anything, so after this exception its state
 * is exactly what it was before the call.
 */
public final class InvalidFreeException extends IllegalArgumentException {

    /** What is wrong with the free. */
    public enum Problem {
        /** The order is outside {@code 0..maxOrder}. */
        ORDER_OUT_OF_RANGE("order out of range"),
        /** The address is not a multiple of the page size. */
        MISALIGNED("not page aligned"),
        /** The address is not a frame of RAM the manager manages. */
        NOT_RAM("not RAM"),
        /** The address lies in a reserved range (kernel image, DTB, firmware). */
        RESERVED("reserved"),
        /** The frame is already free: it is, or lies inside, a free block. */
        DOUBLE_FREE("double free"),
        /** The frame lies inside an allocated block but is not its first frame. */
        NOT_BLOCK_HEAD("not the head of a block"),
        /** The block was allocated with a different order. */
        WRONG_ORDER("wrong order");

        private final String description;

        Problem(String description) {
            this.description = description;
        }

        /** A few words for messages, e.g. "double free". */
        public String description() {
            return description;
        }
    }

    private final long address;
    private final int order;
    private final Problem problem;

    /**
     * @param address the physical address passed to free
     * @param order the order passed to free
     * @param problem what is wrong
     * @param detail the facts behind it, e.g. the block the address lies in
     */
    public InvalidFreeException(long address, int order, Problem problem, String detail) {
        super("invalid free of 0x%x order %d: %s: %s".formatted(
                address, order, problem.description(), detail));
        this.address = address;
        this.order = order;
        this.problem = problem;
    }

    /** The physical address passed to free. */
    public long address() {
        return address;
    }

    /** The order passed to free. */
    public int order() {
        return order;
    }

    public Problem problem() {
        return problem;
    }
}
