package org.astralisp.kernel.api.mm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PhysicalRangeTest {

    @Test
    void containsItsBaseButNotItsEnd() {
        PhysicalRange r = PhysicalRange.between(0x1000, 0x3000);
        assertEquals(0x2000, r.size());
        assertTrue(r.contains(0x1000));
        assertTrue(r.contains(0x2fff));
        assertFalse(r.contains(0x3000));
        assertFalse(r.contains(0xfff));
        assertEquals("[0x1000, 0x3000)", r.toString());
    }

    @Test
    void refusesNegativeBasesEmptyRangesAndRangesPastTheLargestAddress() {
        assertThrows(IllegalArgumentException.class, () -> new PhysicalRange(-1, 0x1000));
        assertThrows(IllegalArgumentException.class, () -> new PhysicalRange(0x1000, 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new PhysicalRange(Long.MAX_VALUE - 10, 20));
        assertEquals("not a physical range: base 0x7ffffffffffffff5 size 0x14", e.getMessage());
    }

    @Test
    void zonesSplitAtFourGibibytes() {
        assertEquals(MemoryZone.DMA32, MemoryZone.of(0xffff_ffffL));
        assertEquals(MemoryZone.NORMAL, MemoryZone.of(0x1_0000_0000L));
        assertEquals(PhysicalMemoryManager.DMA32_LIMIT, MemoryZone.NORMAL.start());
    }
}
