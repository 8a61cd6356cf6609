package org.astralisp.kernel.mm;

/**
 * A run of page frames {@code [first, end)}, by page frame number (physical
 * address divided by the page size). Working in frame numbers keeps the
 * rounding of byte ranges to whole frames free of overflow.
 *
 * <p>Invariant: {@code 0 <= first < end}.
 *
 * @param first the first frame number
 * @param end the first frame number after the run
 */
record FrameRange(long first, long end) {

    FrameRange {
        if (first < 0 || first >= end) {
            throw new IllegalArgumentException("not a frame range: [%d, %d)".formatted(first, end));
        }
    }

    long frames() {
        return end - first;
    }
}
