package org.astralisp.kernel.vm;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The regions of one address space, by first page. Invariant: regions do not overlap and none is
 * empty. Not thread-safe: the space's lock guards it.
 */
final class RegionMap {

    private final TreeMap<Long, Area> areas = new TreeMap<>();
    private final int shift;

    RegionMap(int shift) {
        this.shift = shift;
    }

    /** The region containing {@code page}, or null. */
    Area find(long page) {
        Map.Entry<Long, Area> floor = areas.floorEntry(page);
        return floor != null && page < floor.getValue().end() ? floor.getValue() : null;
    }

    /** The lowest region overlapping {@code span}. */
    Optional<Area> firstOverlap(PageSpan span) {
        Area containing = find(span.first());
        if (containing != null) {
            return Optional.of(containing);
        }
        Map.Entry<Long, Area> next = areas.ceilingEntry(span.first());
        return next != null && next.getKey() < span.end() ? Optional.of(next.getValue()) : Optional.empty();
    }

    /** The lowest part of {@code span} that no region covers. */
    Optional<PageSpan> firstHole(PageSpan span) {
        long page = span.first();
        while (page < span.end()) {
            Area area = find(page);
            if (area == null) {
                Map.Entry<Long, Area> next = areas.ceilingEntry(page);
                long holeEnd = next == null ? span.end() : Math.min(next.getKey(), span.end());
                return Optional.of(new PageSpan(page, holeEnd));
            }
            page = area.end();
        }
        return Optional.empty();
    }

    /**
     * Makes {@code page} a region boundary: the region containing it, if it starts before, is split in
     * two there.
     *
     * @return the region that was split, or null if none was
     */
    Area splitAt(long page) {
        Area area = find(page);
        if (area == null || area.first() == page) {
            return null;
        }
        areas.put(area.first(), area.upTo(page));
        areas.put(page, area.from(page, shift));
        return area;
    }

    /** The regions inside {@code span}, which must start and end at region boundaries. */
    List<Area> within(PageSpan span) {
        return new ArrayList<>(areas.subMap(span.first(), span.end()).values());
    }

    void put(Area area) {
        areas.put(area.first(), area);
    }

    void remove(Area area) {
        areas.remove(area.first());
    }

    Collection<Area> all() {
        return areas.values();
    }

    void clear() {
        areas.clear();
    }
}
