package org.astralisp.kernel.vm;

/**
 * Virtual page numbers {@code [first, end)}: a page number is a virtual address shifted right by the
 * page shift (unsigned), so on every format it is below 2^52 and page numbers compare as the
 * addresses do.
 */
record PageSpan(long first, long end) {

    boolean contains(long page) {
        return page >= first && page < end;
    }
}
