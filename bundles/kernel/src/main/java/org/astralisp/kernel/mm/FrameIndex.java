package org.astralisp.kernel.mm;

import java.util.Arrays;
import java.util.List;

/**
 * The usable frames of one zone, numbered densely from 0: extent after
 * extent, frame after frame. Per-frame state ({@link FrameMap},
 * {@link FreeLists}) then fits in flat arrays sized by the frames that exist,
 * however sparse the zone's RAM and however many reserved holes it has.
 *
 * <p>An extent is a maximal run of usable frames. Invariants: extents are
 * sorted by frame number, disjoint and never adjacent; the frame numbered
 * {@code pfn} in extent {@code e} has index
 * {@code firstIndex[e] + (pfn - firstPfn[e])}, so within an extent index order
 * is address order and a block of contiguous frames has contiguous indices.
 * Because extents never touch, two buddies that are both usable always lie in
 * the same extent.
 *
 * <p>Immutable; lookups are binary searches over the extents (one extent in
 * the common case).
 */
final class FrameIndex {

    /** "No such frame." */
    static final int NONE = -1;

    private final List<FrameRange> extents;
    private final long[] firstPfn;
    private final long[] endPfn;
    private final int[] firstIndex;
    private final int size;

    /**
     * @param extents sorted, disjoint, non-adjacent runs of frames, at most
     *     {@link Integer#MAX_VALUE} frames in all
     * @throws IllegalArgumentException if they are not
     */
    FrameIndex(List<FrameRange> extents) {
        this.extents = List.copyOf(extents);
        int n = extents.size();
        firstPfn = new long[n];
        endPfn = new long[n];
        firstIndex = new int[n];
        long frames = 0;
        for (int e = 0; e < n; e++) {
            FrameRange r = extents.get(e);
            if (e > 0 && r.first() <= endPfn[e - 1]) {
                throw new IllegalArgumentException("extents not sorted and apart: " + extents);
            }
            firstPfn[e] = r.first();
            endPfn[e] = r.end();
            firstIndex[e] = (int) frames;
            frames += r.frames();
            if (frames > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("more than %d frames in one zone".formatted(Integer.MAX_VALUE));
            }
        }
        size = (int) frames;
    }

    /** The number of usable frames. */
    int size() {
        return size;
    }

    /** The extents, in address order. */
    List<FrameRange> extents() {
        return extents;
    }

    /** The frame number after the last usable frame; 0 if there is none. */
    long endPfn() {
        return endPfn.length == 0 ? 0 : endPfn[endPfn.length - 1];
    }

    /** The index of frame {@code pfn}, or {@link #NONE} if it is not usable. */
    int indexOf(long pfn) {
        int e = Arrays.binarySearch(firstPfn, pfn);
        if (e < 0) {
            e = -e - 2;
        }
        if (e < 0 || pfn >= endPfn[e]) {
            return NONE;
        }
        return firstIndex[e] + (int) (pfn - firstPfn[e]);
    }

    /** The frame number of {@code index}. */
    long pfnOf(int index) {
        int e = extentOf(index);
        return firstPfn[e] + (index - firstIndex[e]);
    }

    /**
     * The index of frame {@code pfn} if it lies in the same extent as the frame
     * at {@code index}, else {@link #NONE}: how the allocator finds a buddy or
     * an enclosing block head without leaving the run of frames it is in.
     */
    int indexInExtentOf(int index, long pfn) {
        int e = extentOf(index);
        if (pfn < firstPfn[e] || pfn >= endPfn[e]) {
            return NONE;
        }
        return firstIndex[e] + (int) (pfn - firstPfn[e]);
    }

    private int extentOf(int index) {
        int e = Arrays.binarySearch(firstIndex, index);
        return e >= 0 ? e : -e - 2;
    }
}
