package org.astralisp.kernel.mm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.PhysicalRange;

/**
 * Where the usable frames are: the machine's RAM ranges minus its reserved
 * ranges, in whole frames, split by zone.
 *
 * <p>Normalisation, done once here so the allocator never sees a partial frame:
 * <ul>
 * <li>RAM ranges must not overlap (a device tree that says they do is wrong,
 *     and guessing which one is right could hand out memory that is not
 *     there); adjacent ones are joined, then each shrinks to whole frames,
 *     since a frame only partly in RAM is not usable.
 * <li>Reserved ranges grow to whole frames, since a frame partly reserved
 *     must not be handed out; they may overlap each other and may lie partly
 *     or wholly outside RAM (firmware often does).
 * </ul>
 *
 * <p>Invariants: the usable extents of a zone are sorted, disjoint and never
 * adjacent (two runs of usable frames touch only if joined), lie within the
 * zone, and none contains a frame of a reserved range. Immutable.
 */
final class MemoryLayout {

    /** The smallest page size the layout accepts: x86-64 and RISC-V base pages. */
    static final int MIN_PAGE_SIZE = 4096;

    /** The largest page size the layout accepts: PowerISA's 64 KiB pages. */
    static final int MAX_PAGE_SIZE = 65536;

    private final int pageSize;
    private final int pageShift;
    private final List<FrameRange> ram;
    private final List<PhysicalRange> reservedAsGiven;
    private final List<FrameRange> usable;

    /**
     * @param pageSize a power of two from {@value #MIN_PAGE_SIZE} to {@value #MAX_PAGE_SIZE}
     * @param ramRanges the RAM ranges, in any order
     * @param reservedRanges ranges never to hand out, in any order
     * @throws IllegalArgumentException naming the value if the page size is
     *     not supported, RAM ranges overlap, or no usable frame remains
     */
    MemoryLayout(int pageSize, List<PhysicalRange> ramRanges, List<PhysicalRange> reservedRanges) {
        if (pageSize < MIN_PAGE_SIZE || pageSize > MAX_PAGE_SIZE || Integer.bitCount(pageSize) != 1) {
            throw new IllegalArgumentException("page size %d is not a power of two from %d to %d"
                    .formatted(pageSize, MIN_PAGE_SIZE, MAX_PAGE_SIZE));
        }
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.ram = wholeFramesOf(joinAdjacent(sortedDisjoint(ramRanges)));
        this.reservedAsGiven = reservedRanges.stream().sorted(Comparator.comparingLong(PhysicalRange::base)).toList();
        this.usable = subtract(ram, framesTouching(reservedAsGiven));
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("no usable RAM: RAM %s, reserved %s".formatted(ramRanges, reservedRanges));
        }
    }

    int pageShift() {
        return pageShift;
    }

    /** The usable frames of {@code zone}: sorted, disjoint, never adjacent. */
    List<FrameRange> usableFrames(MemoryZone zone) {
        return clip(usable, zone);
    }

    /** RAM frames of {@code zone} that lie in reserved ranges. */
    long reservedFrames(MemoryZone zone) {
        return frames(clip(ram, zone)) - frames(clip(usable, zone));
    }

    /** The reserved range, as given, that shares a byte with the frame at {@code address}. */
    Optional<PhysicalRange> reservedRangeAt(long address) {
        return reservedAsGiven.stream()
                .filter(r -> r.base() - (pageSize - 1) <= address && address < r.end())
                .findFirst();
    }

    private static List<PhysicalRange> sortedDisjoint(List<PhysicalRange> ranges) {
        List<PhysicalRange> sorted = ranges.stream().sorted(Comparator.comparingLong(PhysicalRange::base)).toList();
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i - 1).end() > sorted.get(i).base()) {
                throw new IllegalArgumentException("RAM ranges %s and %s overlap".formatted(sorted.get(i - 1), sorted.get(i)));
            }
        }
        return sorted;
    }

    private static List<PhysicalRange> joinAdjacent(List<PhysicalRange> sorted) {
        List<PhysicalRange> joined = new ArrayList<>();
        for (PhysicalRange r : sorted) {
            if (!joined.isEmpty() && joined.getLast().end() == r.base()) {
                joined.set(joined.size() - 1, PhysicalRange.between(joined.getLast().base(), r.end()));
            } else {
                joined.add(r);
            }
        }
        return joined;
    }

    /** Each range shrunk to the frames wholly inside it; ranges holding no whole frame vanish. */
    private List<FrameRange> wholeFramesOf(List<PhysicalRange> ranges) {
        List<FrameRange> frames = new ArrayList<>();
        for (PhysicalRange r : ranges) {
            long first = Math.ceilDiv(r.base(), pageSize);
            long end = r.end() >>> pageShift;
            if (first < end) {
                frames.add(new FrameRange(first, end));
            }
        }
        return frames;
    }

    /** The frames sharing a byte with any of {@code ranges} (sorted by base), merged. */
    private List<FrameRange> framesTouching(List<PhysicalRange> ranges) {
        List<FrameRange> merged = new ArrayList<>();
        for (PhysicalRange r : ranges) {
            long first = r.base() >>> pageShift;
            long end = Math.ceilDiv(r.end(), pageSize);
            if (!merged.isEmpty() && merged.getLast().end() >= first) {
                merged.set(merged.size() - 1, new FrameRange(merged.getLast().first(), Math.max(end, merged.getLast().end())));
            } else {
                merged.add(new FrameRange(first, end));
            }
        }
        return merged;
    }

    /** {@code from} without the frames of {@code holes}; both sorted and disjoint. */
    private static List<FrameRange> subtract(List<FrameRange> from, List<FrameRange> holes) {
        List<FrameRange> rest = new ArrayList<>();
        for (FrameRange r : from) {
            long cursor = r.first();
            for (FrameRange hole : holes) {
                if (hole.end() <= cursor || hole.first() >= r.end()) {
                    continue;
                }
                if (hole.first() > cursor) {
                    rest.add(new FrameRange(cursor, hole.first()));
                }
                cursor = hole.end();
            }
            if (cursor < r.end()) {
                rest.add(new FrameRange(cursor, r.end()));
            }
        }
        return rest;
    }

    private List<FrameRange> clip(List<FrameRange> ranges, MemoryZone zone) {
        long zoneFirst = zone.start() >>> pageShift;
        long zoneEnd = zone.end() >>> pageShift;
        List<FrameRange> inside = new ArrayList<>();
        for (FrameRange r : ranges) {
            long first = Math.max(r.first(), zoneFirst);
            long end = Math.min(r.end(), zoneEnd);
            if (first < end) {
                inside.add(new FrameRange(first, end));
            }
        }
        return inside;
    }

    private static long frames(List<FrameRange> ranges) {
        return ranges.stream().mapToLong(FrameRange::frames).sum();
    }
}
