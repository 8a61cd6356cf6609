package org.astralisp.kernel.mm;

import java.util.ArrayList;
import java.util.List;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.mm.PhysicalRange;
import org.astralisp.kernel.api.mm.ZoneStatistics;

/** Sizes and shorthands shared by the physical memory tests. */
final class Memory {

    static final long KiB = 1024;
    static final long MiB = 1024 * KiB;
    static final long GiB = 1024 * MiB;
    static final int PAGE_4K = 4096;
    static final int PAGE_64K = 65536;

    private Memory() {
    }

    static PhysicalRange range(long start, long end) {
        return PhysicalRange.between(start, end);
    }

    static FrameAllocator allocator(int pageSize, PhysicalRange... ram) {
        return new FrameAllocator(pageSize, List.of(ram), List.of());
    }

    /** The free-block counts per order, {@code counts} from order 0 up, zeros after. */
    static List<Long> blocks(PhysicalMemoryManager pmm, long... counts) {
        List<Long> list = new ArrayList<>();
        for (int k = 0; k <= pmm.maxOrder(); k++) {
            list.add(k < counts.length ? counts[k] : 0L);
        }
        return list;
    }

    static ZoneStatistics zone(PhysicalMemoryManager pmm, MemoryZone zone) {
        return pmm.statistics().zone(zone);
    }
}
