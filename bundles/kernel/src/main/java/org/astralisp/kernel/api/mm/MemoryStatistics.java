package org.astralisp.kernel.api.mm;

import java.util.List;

/**
 * Statistics of the physical memory manager: one snapshot per zone, in address
 * order. Each zone's snapshot is consistent; the zones are read one after the
 * other, so under concurrent use the sums are not one instant's.
 *
 * @param pageSize the frame size in bytes
 * @param maxOrder the largest block order
 * @param zones every zone, in address order ({@link MemoryZone#values()})
 */
public record MemoryStatistics(int pageSize, int maxOrder, List<ZoneStatistics> zones) {

    public MemoryStatistics {
        zones = List.copyOf(zones);
        if (!zones.stream().map(ZoneStatistics::zone).toList().equals(List.of(MemoryZone.values()))) {
            throw new IllegalArgumentException("zone statistics not one per zone in address order: " + zones);
        }
    }

    /** The statistics of {@code zone}. */
    public ZoneStatistics zone(MemoryZone zone) {
        return zones.get(zone.ordinal());
    }

    public long totalFrames() {
        return zones.stream().mapToLong(ZoneStatistics::totalFrames).sum();
    }

    public long freeFrames() {
        return zones.stream().mapToLong(ZoneStatistics::freeFrames).sum();
    }

    public long allocatedFrames() {
        return zones.stream().mapToLong(ZoneStatistics::allocatedFrames).sum();
    }
}
