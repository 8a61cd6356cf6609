package org.astralisp.kernel.api.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class MemoryStatisticsTest {

    private static ZoneStatistics zone(MemoryZone zone, long total, long free) {
        return new ZoneStatistics(zone, total, 0, free, List.of(free), 0);
    }

    @Test
    void sumsTheZones() {
        MemoryStatistics s = new MemoryStatistics(4096, 0,
                List.of(zone(MemoryZone.DMA32, 10, 4), zone(MemoryZone.NORMAL, 20, 15)));
        assertEquals(30, s.totalFrames());
        assertEquals(19, s.freeFrames());
        assertEquals(11, s.allocatedFrames());
        assertEquals(5, s.zone(MemoryZone.NORMAL).allocatedFrames());
        assertEquals(15, s.zone(MemoryZone.NORMAL).freeBlocks(0));
    }

    @Test
    void refusesZonesMissingOrOutOfAddressOrder() {
        assertThrows(IllegalArgumentException.class, () -> new MemoryStatistics(4096, 0,
                List.of(zone(MemoryZone.NORMAL, 1, 1), zone(MemoryZone.DMA32, 1, 1))));
        assertThrows(IllegalArgumentException.class, () -> new MemoryStatistics(4096, 0,
                List.of(zone(MemoryZone.DMA32, 1, 1))));
    }
}
