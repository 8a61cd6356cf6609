package org.astralisp.kernel.mm;

import static org.astralisp.kernel.mm.Memory.GiB;
import static org.astralisp.kernel.mm.Memory.KiB;
import static org.astralisp.kernel.mm.Memory.MiB;
import static org.astralisp.kernel.mm.Memory.PAGE_4K;
import static org.astralisp.kernel.mm.Memory.PAGE_64K;
import static org.astralisp.kernel.mm.Memory.allocator;
import static org.astralisp.kernel.mm.Memory.blocks;
import static org.astralisp.kernel.mm.Memory.range;
import static org.astralisp.kernel.mm.Memory.zone;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.astralisp.kernel.api.mm.MemoryZone;
import org.astralisp.kernel.api.mm.OutOfPhysicalMemoryException;
import org.astralisp.kernel.api.mm.PhysicalMemoryManager;
import org.astralisp.kernel.api.mm.PhysicalRange;
import org.astralisp.kernel.api.mm.ZoneStatistics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How RAM and reserved ranges become free blocks: rounding, holes, zones, and the inputs refused. */
class MemoryLayoutTest {

    /** Allocates single frames until memory runs out; returns their addresses. */
    private static List<Long> drain(PhysicalMemoryManager pmm) {
        List<Long> frames = new ArrayList<>();
        while (true) {
            try {
                frames.add(pmm.allocate(0));
            } catch (OutOfPhysicalMemoryException e) {
                return frames;
            }
        }
    }

    @Test
    void aRangeThatIsNoPowerOfTwoIsCutIntoItsBinaryDigits() {
        // 3 MiB + 20 KiB = 773 frames = 512 + 256 + 4 + 1
        FrameAllocator pmm = allocator(PAGE_4K, range(0, 3 * MiB + 20 * KiB));
        assertEquals(blocks(pmm, 1, 0, 1, 0, 0, 0, 0, 0, 1, 1), zone(pmm, MemoryZone.DMA32).freeBlocks());
        assertEquals(773, zone(pmm, MemoryZone.DMA32).totalFrames());
    }

    @Test
    void anUnalignedRangeLosesItsPartialFramesAndIsCutIntoAlignedBlocks() throws OutOfPhysicalMemoryException {
        // [0x1234, 0x11234): whole frames 2..16 -> order 1 at 2, order 2 at 4, order 3 at 8, order 0 at 16
        FrameAllocator pmm = allocator(PAGE_4K, new PhysicalRange(0x1234, 0x10000));
        assertEquals(blocks(pmm, 1, 1, 1, 1), zone(pmm, MemoryZone.DMA32).freeBlocks());
        assertEquals(0x10000, pmm.allocate(0));
        assertEquals(0x2000, pmm.allocate(1));
        assertEquals(0x4000, pmm.allocate(2));
        assertEquals(0x8000, pmm.allocate(3));
    }

    @Test
    void noFrameOnlyPartlyInRamIsHandedOut() {
        FrameAllocator pmm = allocator(PAGE_4K, new PhysicalRange(0x1234, 0x10000));
        List<Long> frames = drain(pmm);
        assertEquals(15, frames.size());
        assertTrue(frames.stream().allMatch(f -> f >= 0x2000 && f + PAGE_4K <= 0x11234), frames::toString);
    }

    @Test
    void adjacentRangesAreJoinedBeforeRounding() {
        FrameAllocator pmm = allocator(PAGE_4K, range(0x1800, 0x4000), range(0, 0x1800));
        assertEquals(blocks(pmm, 0, 0, 1), zone(pmm, MemoryZone.DMA32).freeBlocks());
    }

    @Test
    void separateRangesInAnyOrderKeepTheirHolesFree() {
        FrameAllocator pmm = allocator(PAGE_4K, range(2 * MiB, 3 * MiB), range(0, MiB));
        assertEquals(blocks(pmm, 0, 0, 0, 0, 0, 0, 0, 0, 2), zone(pmm, MemoryZone.DMA32).freeBlocks());
        assertFalse(drain(pmm).stream().anyMatch(f -> f >= MiB && f < 2 * MiB));
    }

    @Test
    void reservedRangesAreNeverHandedOut() {
        List<PhysicalRange> reserved = List.of(
                range(0x3_0800, 0x3_1800),        // a kernel image not page aligned: frames 0x30, 0x31
                range(0x8_0000, 0x8_2000),        // the DTB: frames 0x80, 0x81
                range(0xF000_0000L, 0xF010_0000L)); // firmware, outside RAM
        FrameAllocator pmm = new FrameAllocator(PAGE_4K, List.of(range(0, MiB)), reserved);
        ZoneStatistics dma32 = zone(pmm, MemoryZone.DMA32);
        assertEquals(252, dma32.totalFrames());
        assertEquals(4, dma32.reservedFrames());
        List<Long> frames = drain(pmm);
        assertEquals(252, frames.size());
        assertFalse(frames.contains(0x3_0000L));
        assertFalse(frames.contains(0x3_1000L));
        assertFalse(frames.contains(0x8_0000L));
        assertFalse(frames.contains(0x8_1000L));
    }

    @Test
    void overlappingReservedRangesCountTheirFramesOnce() {
        List<PhysicalRange> reserved = List.of(range(0x4000, 0x9000), range(0x2000, 0x6000));
        FrameAllocator pmm = new FrameAllocator(PAGE_4K, List.of(range(0, 64 * KiB)), reserved);
        assertEquals(7, zone(pmm, MemoryZone.DMA32).reservedFrames());
        assertEquals(9, zone(pmm, MemoryZone.DMA32).totalFrames());
    }

    @Test
    void ramAcrossFourGibibytesIsSplitBetweenTheZones() {
        FrameAllocator pmm = allocator(PAGE_64K, range(3 * GiB, 5 * GiB + 128 * KiB));
        ZoneStatistics dma32 = zone(pmm, MemoryZone.DMA32);
        ZoneStatistics normal = zone(pmm, MemoryZone.NORMAL);
        assertEquals(16384, dma32.totalFrames());
        assertEquals(16386, normal.totalFrames());
        assertEquals(1, dma32.freeBlocks(14));
        assertEquals(blocks(pmm, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1), normal.freeBlocks());
    }

    @Test
    void aZoneWithoutRamIsEmpty() {
        FrameAllocator pmm = allocator(PAGE_4K, range(0x8000_0000L, 0x8000_0000L + 512 * MiB));
        assertEquals(0, zone(pmm, MemoryZone.NORMAL).totalFrames());
        assertEquals(blocks(pmm), zone(pmm, MemoryZone.NORMAL).freeBlocks());
        assertEquals(131072, pmm.statistics().totalFrames());
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 2048, 4095, 12288, 131072, -4096})
    void refusesAPageSizeThatIsNotAPowerOfTwoFrom4To64KiB(int pageSize) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> allocator(pageSize, range(0, MiB)));
        assertTrue(e.getMessage().contains("page size " + pageSize), e.getMessage());
    }

    @Test
    void acceptsEveryPowerOfTwoPageSizeFrom4To64KiB() {
        for (int pageSize = PAGE_4K; pageSize <= PAGE_64K; pageSize *= 2) {
            assertEquals(pageSize, allocator(pageSize, range(0, MiB)).pageSize());
        }
    }

    @Test
    void refusesOverlappingRamRangesNamingBoth() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> allocator(PAGE_4K, range(0, 2 * MiB), range(MiB, 3 * MiB)));
        assertEquals("RAM ranges [0x0, 0x200000) and [0x100000, 0x300000) overlap", e.getMessage());
    }

    @Test
    void refusesRamWithNoUsableFrame() {
        assertThrows(IllegalArgumentException.class, () -> allocator(PAGE_64K, range(0x1000, 0x9000)));
        assertThrows(IllegalArgumentException.class,
                () -> new FrameAllocator(PAGE_4K, List.of(range(0, MiB)), List.of(range(0, MiB))));
        assertThrows(IllegalArgumentException.class, () -> new FrameAllocator(PAGE_4K, List.of(), List.of()));
    }

    @Test
    void refusesFrameIndexExtentsThatTouch() {
        assertThrows(IllegalArgumentException.class,
                () -> new FrameIndex(List.of(new FrameRange(0, 4), new FrameRange(4, 8))));
    }

    @Test
    void refusesAZoneTooLargeToNumberItsFramesWithAnInt() {
        assertThrows(IllegalArgumentException.class, () -> new FrameIndex(List.of(new FrameRange(0, 1L << 31))));
    }

    @Test
    void refusesAnEmptyFrameRange() {
        assertThrows(IllegalArgumentException.class, () -> new FrameRange(4, 4));
    }
}
