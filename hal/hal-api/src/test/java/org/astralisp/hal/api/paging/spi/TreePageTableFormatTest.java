package org.astralisp.hal.api.paging.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.spi.TreePageTableFormat.UpperBits;
import org.junit.jupiter.api.Test;

class TreePageTableFormatTest {

    private final ToyPageTableFormat toy = new ToyPageTableFormat();

    @Test
    void geometryFollowsTheIndexBitsFromTheRoot() {
        assertEquals(4096, toy.pageSize());
        assertEquals(3, toy.levels());
        assertEquals(28, toy.virtualAddressBits());
        assertEquals(40, toy.physicalAddressBits());
        assertEquals(512, toy.tableBytes(2));
        assertEquals(256, toy.tableBytes(1));
        assertEquals(256, toy.tableBytes(0));
        assertEquals(6, toy.indexBits(2));
        assertEquals(1L << 12, toy.span(0));
        assertEquals(1L << 17, toy.span(1));
        assertEquals(1L << 22, toy.span(2));
        assertEquals("toy (4096-byte pages, index bits 6/5/5)", toy.toString());
    }

    @Test
    void indicesAreTheAddressBitsOfEachLevel() {
        long va = (45L << 22) | (17L << 17) | (3L << 12) | 0x123;
        assertEquals(45, toy.index(va, 2));
        assertEquals(17, toy.index(va, 1));
        assertEquals(3, toy.index(va, 0));
    }

    @Test
    void spanNamesUseBinaryUnits() {
        assertEquals("4 KiB", toy.spanName(0));
        assertEquals("128 KiB", toy.spanName(1));
        assertEquals("4 MiB", toy.spanName(2));
    }

    @Test
    void zeroExtendedRangeEndsAtTheTopTranslatedBit() {
        assertTrue(toy.inRange(0));
        assertTrue(toy.inRange((1L << 28) - 1));
        assertFalse(toy.inRange(1L << 28));
        assertFalse(toy.inRange(-4096));
        assertEquals("the 28-bit virtual addresses [0, 2^28)", toy.rangeDescription());
    }

    @Test
    void signExtendedRangeHasTwoHalves() {
        ToyPageTableFormat signed = new ToyPageTableFormat(UpperBits.SIGN_EXTENDED);
        assertTrue(signed.inRange(0x07FF_F000L));
        assertFalse(signed.inRange(0x0800_0000L));
        assertTrue(signed.inRange(0xFFFF_FFFF_F800_0000L));
        assertFalse(signed.inRange(0xFFFF_FFFF_F000_0000L));
        assertEquals("the canonical 28-bit virtual addresses (sign-extended from bit 27)", signed.rangeDescription());
    }

    @Test
    void supportsWhatTheEntriesCanExpress() {
        assertTrue(toy.supports(Permissions.parse("r----")));
        assertFalse(toy.supports(Permissions.parse("-w---")));
    }

    @Test
    void refusesATableLargerThanAPage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ToyPageTableFormat(UpperBits.ZERO, 10, 5));
        assertEquals("a level-1 table of 2^10 entries does not fit in a page of 2^12 bytes", e.getMessage());
    }
}
