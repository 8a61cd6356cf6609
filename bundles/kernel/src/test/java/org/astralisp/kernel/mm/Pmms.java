package org.astralisp.kernel.mm;

import java.util.List;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.mm.PhysicalRange;
import org.astralisp.machine.port.PhysicalMemory;

/** PMMs for the tests of other kernel packages (the allocator itself is package-private). */
public final class Pmms {

    private Pmms() {
    }

    /** A PMM of {@code pageSize}-byte frames over all of {@code ram}, nothing reserved. */
    public static PhysicalMemoryManager over(PhysicalMemory ram, int pageSize) {
        return new FrameAllocator(pageSize, List.of(new PhysicalRange(ram.base(), ram.size())), List.of());
    }
}
