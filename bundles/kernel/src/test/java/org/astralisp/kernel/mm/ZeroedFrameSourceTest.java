package org.astralisp.kernel.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.lang.foreign.MemorySegment;
import java.util.List;
import org.astralisp.hal.api.paging.OutOfFramesException;
import org.astralisp.kernel.api.mm.InvalidFreeException;
import org.astralisp.kernel.api.mm.PhysicalRange;
import org.astralisp.kernel.testing.Machines;
import org.astralisp.machine.Architecture;
import org.astralisp.machine.Machine;
import org.astralisp.machine.port.PhysicalMemory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ZeroedFrameSourceTest {

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void handsOutFramesOfThePageSizeZeroedEvenAfterReuse(Architecture architecture) throws Exception {
        try (Machine machine = Machines.create(architecture)) {
            int pageSize = Machines.pageSize(architecture);
            ZeroedFrameSource frames = new ZeroedFrameSource(allocator(machine.memory(), pageSize, 2), machine.memory());
            long frame = frames.allocate();
            machine.memory().slice(frame, pageSize).fill((byte) 0x5a);
            frames.free(frame);

            long again = frames.allocate();

            assertEquals(pageSize, frames.frameSize());
            assertEquals(frame, again, "the PMM's free lists are LIFO, so the dirtied frame comes back");
            assertEquals(0, again % pageSize);
            MemorySegment contents = machine.memory().slice(again, pageSize);
            assertEquals(-1, contents.mismatch(MemorySegment.ofArray(new byte[pageSize])));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void runningOutIsOutOfFramesWithThePmmsMessage(Architecture architecture) {
        try (Machine machine = Machines.create(architecture)) {
            int pageSize = Machines.pageSize(architecture);
            ZeroedFrameSource frames = new ZeroedFrameSource(allocator(machine.memory(), pageSize, 2), machine.memory());
            frames.allocate();
            frames.allocate();

            OutOfFramesException e = assertThrows(OutOfFramesException.class, frames::allocate);
            assertEquals("out of physical memory: %d bytes (a block of order 0) aligned to 0x%x: none free in DMA32"
                    .formatted(pageSize, pageSize), e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aDoubleFreeIsRefusedAndLeavesTheFrameFree(Architecture architecture) {
        try (Machine machine = Machines.create(architecture)) {
            int pageSize = Machines.pageSize(architecture);
            FrameAllocator pmm = allocator(machine.memory(), pageSize, 2);
            ZeroedFrameSource frames = new ZeroedFrameSource(pmm, machine.memory());
            long frame = frames.allocate();
            frames.free(frame);

            assertThrows(InvalidFreeException.class, () -> frames.free(frame));
            assertEquals(2, pmm.statistics().freeFrames());
        }
    }

    /** A PMM over the first {@code usable} frames of {@code ram}: the rest is reserved. */
    private static FrameAllocator allocator(PhysicalMemory ram, int pageSize, int usable) {
        long end = ram.base() + ram.size();
        long firstReserved = ram.base() + (long) usable * pageSize;
        return new FrameAllocator(pageSize, List.of(new PhysicalRange(ram.base(), ram.size())),
                List.of(PhysicalRange.between(firstReserved, end)));
    }
}
