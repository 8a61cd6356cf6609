package org.astralisp.kernel.api.vm;

/**
 * What a region's pages hold: private anonymous memory, or pages of a {@link SharedMemory} object.
 */
public sealed interface Backing {

    /** Private anonymous memory, zero on first touch and copied on write after a clone. */
    static Backing anonymous() {
        return Anonymous.INSTANCE;
    }

    /** The pages of {@code memory} from byte {@code offset} on, shared with every space that maps them. */
    static Backing shared(SharedMemory memory, long offset) {
        return new Shared(memory, offset);
    }

    /**
     * The backing of the part of a region that starts {@code bytes} further on: the same for anonymous
     * memory, the offset moved on for shared memory.
     */
    Backing advancedBy(long bytes);

    /** Private, demand-zero, copy-on-write after a clone (Linux's {@code MAP_PRIVATE | MAP_ANONYMOUS}). */
    enum Anonymous implements Backing {
        INSTANCE;

        @Override
        public Backing advancedBy(long bytes) {
            return this;
        }

        @Override
        public String toString() {
            return "anonymous";
        }
    }

    /**
     * Pages of a shared memory object (Linux's {@code MAP_SHARED} of a shared memory segment): every
     * space mapping a page reaches the same frame, and a clone keeps the sharing.
     *
     * @param memory the shared object
     * @param offset where in it the region's first page is, a multiple of the page size
     */
    record Shared(SharedMemory memory, long offset) implements Backing {

        public Shared {
            if (memory == null) {
                throw new IllegalArgumentException("shared backing without a shared memory object");
            }
        }

        @Override
        public Backing advancedBy(long bytes) {
            return new Shared(memory, offset + bytes);
        }

        @Override
        public String toString() {
            return "shared " + memory + " at offset 0x" + Long.toHexString(offset);
        }
    }
}
