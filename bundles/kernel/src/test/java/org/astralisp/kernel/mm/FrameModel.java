package org.astralisp.kernel.mm;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.astralisp.kernel.api.mm.InvalidFreeException.Problem;
import org.astralisp.kernel.api.mm.MemoryStatistics;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.PhysicalRange;
import org.astralisp.kernel.api.mm.ZoneStatistics;

/**
 * A model of the physical memory manager that knows only which frames are
 * usable and which are free, computed straight from the byte ranges.
 *
 * <p>Because a buddy allocator keeps free memory fully coalesced, that is
 * enough to predict everything observable: a request succeeds in a zone
 * exactly when the zone has an aligned run of {@code 2^k} free frames that
 * meets the alignment and limit; the free blocks are the maximal aligned runs
 * of free frames (at most {@code 2^maxOrder}); and a free's outcome follows
 * from which frames are held.
 */
final class FrameModel {

    private final int pageSize;
    private final int pageShift;
    private final int maxOrder;
    private final List<PhysicalRange> ram;
    private final List<PhysicalRange> reserved;
    private final long firstPfn;
    private final int frames;
    private final boolean[] usable;
    private final boolean[] free;
    private final Map<Long, Integer> held = new LinkedHashMap<>();
    private final long[] failed = new long[MemoryZone.values().length];
    private final long[] usableFrames = new long[MemoryZone.values().length];
    private final long[] reservedFrames = new long[MemoryZone.values().length];
    private final int[] freeBefore;

    FrameModel(int pageSize, int maxOrder, List<PhysicalRange> ram, List<PhysicalRange> reserved) {
        this.pageSize = pageSize;
        this.pageShift = Integer.numberOfTrailingZeros(pageSize);
        this.maxOrder = maxOrder;
        this.ram = ram;
        this.reserved = reserved;
        long low = ram.stream().mapToLong(PhysicalRange::base).min().orElseThrow() / pageSize;
        long high = Math.ceilDiv(ram.stream().mapToLong(PhysicalRange::end).max().orElseThrow(), pageSize);
        firstPfn = low;
        frames = (int) (high - low);
        usable = new boolean[frames];
        free = new boolean[frames];
        for (int i = 0; i < frames; i++) {
            long address = (firstPfn + i) << pageShift;
            boolean inRam = inRam(firstPfn + i);
            usable[i] = inRam && !touchesReserved(address);
            free[i] = usable[i];
            usableFrames[MemoryZone.of(address).ordinal()] += usable[i] ? 1 : 0;
            reservedFrames[MemoryZone.of(address).ordinal()] += inRam && !usable[i] ? 1 : 0;
        }
        freeBefore = new int[frames + 1];
        recount();
    }

    long firstAddress() {
        return firstPfn << pageShift;
    }

    long endAddress() {
        return (firstPfn + frames) << pageShift;
    }

    /** Frame addresses at and around the edges of every RAM and reserved range: where frees go wrong. */
    List<Long> edges() {
        List<Long> edges = new ArrayList<>();
        for (PhysicalRange r : Stream.concat(ram.stream(), reserved.stream()).toList()) {
            long first = r.base() & -pageSize;
            long last = (r.end() - 1) & -pageSize;
            edges.addAll(List.of(first - pageSize, first, first + pageSize, last - pageSize, last, last + pageSize));
        }
        return edges;
    }

    /** The blocks held, head address to order, in the order they were allocated. */
    Map<Long, Integer> held() {
        return held;
    }

    int orderFor(long bytes) {
        long n = Math.ceilDiv(bytes, pageSize);
        int order = 0;
        while ((1L << order) < n) {
            order++;
        }
        return order;
    }

    /** The zone a request must be served from, or null if none can; counts the failures it implies. */
    MemoryZone expectedZone(int order, long alignment, long limit, List<MemoryZone> tried) {
        for (MemoryZone zone : List.of(MemoryZone.NORMAL, MemoryZone.DMA32)) {
            if (usableFrames[zone.ordinal()] == 0 || zone.start() >= limit) {
                continue;
            }
            if (hasFit(zone, order, alignment, limit)) {
                return zone;
            }
            failed[zone.ordinal()]++;
            tried.add(zone);
        }
        return null;
    }

    /** Whether the block at {@code address} is one the request could be served with from {@code zone}. */
    boolean fits(long address, MemoryZone zone, int order, long alignment, long limit) {
        long pfn = address >>> pageShift;
        return (address & (pageSize - 1)) == 0 && address % Math.max(alignment, (long) pageSize << order) == 0
                && MemoryZone.of(address) == zone && allFree(pfn, order) && (pfn + (1L << order)) << pageShift <= limit;
    }

    void allocated(long address, int order) {
        mark(address >>> pageShift, order, false);
        held.put(address, order);
    }

    /** What freeing {@code address} with {@code order} must do: null for success, else the problem. */
    Problem expectedProblem(long address, int order) {
        if (order < 0 || order > maxOrder) {
            return Problem.ORDER_OUT_OF_RANGE;
        }
        if ((address & (pageSize - 1)) != 0) {
            return Problem.MISALIGNED;
        }
        if (touchesReserved(address)) {
            return Problem.RESERVED;
        }
        long pfn = address >>> pageShift;
        if (pfn < firstPfn || pfn >= firstPfn + frames || !usable[(int) (pfn - firstPfn)]) {
            return Problem.NOT_RAM;
        }
        Integer heldOrder = held.get(address);
        if (heldOrder != null) {
            return heldOrder == order ? null : Problem.WRONG_ORDER;
        }
        return free[(int) (pfn - firstPfn)] ? Problem.DOUBLE_FREE : Problem.NOT_BLOCK_HEAD;
    }

    void freed(long address) {
        int order = held.remove(address);
        mark(address >>> pageShift, order, true);
    }

    MemoryStatistics statistics() {
        List<ZoneStatistics> zones = new ArrayList<>();
        for (MemoryZone zone : MemoryZone.values()) {
            long[] blocks = new long[maxOrder + 1];
            long freeFrames = 0;
            for (int i = 0; i < frames; ) {
                long pfn = firstPfn + i;
                if (!free[i] || MemoryZone.of(pfn << pageShift) != zone) {
                    i++;
                    continue;
                }
                int k = 0;
                while (k < maxOrder && pfn % (1L << (k + 1)) == 0 && allFree(pfn, k + 1)
                        && MemoryZone.of((pfn + (1L << (k + 1)) - 1) << pageShift) == zone) {
                    k++;
                }
                blocks[k]++;
                freeFrames += 1L << k;
                i += 1 << k;
            }
            List<Long> counts = new ArrayList<>();
            for (long b : blocks) {
                counts.add(b);
            }
            zones.add(new ZoneStatistics(zone, usableFrames[zone.ordinal()], reservedFrames[zone.ordinal()], freeFrames, counts,
                    failed[zone.ordinal()]));
        }
        return new MemoryStatistics(pageSize, maxOrder, zones);
    }

    private boolean hasFit(MemoryZone zone, int order, long alignment, long limit) {
        long step = Math.max(1L << order, Math.max(1, alignment >>> pageShift));
        long start = Math.ceilDiv(Math.max(firstPfn, zone.start() >>> pageShift), step) * step;
        for (long pfn = start; pfn + (1L << order) <= firstPfn + frames; pfn += step) {
            if (fits(pfn << pageShift, zone, order, alignment, limit)) {
                return true;
            }
        }
        return false;
    }

    private boolean allFree(long pfn, int order) {
        long from = pfn - firstPfn;
        long to = from + (1L << order);
        return from >= 0 && to <= frames && freeBefore[(int) to] - freeBefore[(int) from] == (1L << order);
    }

    private void mark(long pfn, int order, boolean isFree) {
        for (long p = pfn; p < pfn + (1L << order); p++) {
            free[(int) (p - firstPfn)] = isFree;
        }
        recount();
    }

    private void recount() {
        for (int i = 0; i < frames; i++) {
            freeBefore[i + 1] = freeBefore[i] + (free[i] ? 1 : 0);
        }
    }

    private boolean inRam(long pfn) {
        long start = pfn << pageShift;
        return ram.stream().anyMatch(r -> r.base() <= start && start + pageSize <= r.end());
    }

    private boolean touchesReserved(long address) {
        return reserved.stream().anyMatch(r -> r.base() < address + pageSize && address < r.end());
    }
}
