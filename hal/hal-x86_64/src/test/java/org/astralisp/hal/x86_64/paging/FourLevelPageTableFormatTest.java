package org.astralisp.hal.x86_64.paging;

import static org.astralisp.hal.x86_64.paging.FourLevelPageTableFormat.A;
import static org.astralisp.hal.x86_64.paging.FourLevelPageTableFormat.D;
import static org.astralisp.hal.x86_64.paging.FourLevelPageTableFormat.P;
import static org.astralisp.hal.x86_64.paging.FourLevelPageTableFormat.PS;
import static org.astralisp.hal.x86_64.paging.FourLevelPageTableFormat.RW;
import static org.astralisp.hal.x86_64.paging.FourLevelPageTableFormat.US;
import static org.astralisp.hal.x86_64.paging.FourLevelPageTableFormat.XD;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.nio.ByteOrder;
import java.util.Optional;
import org.astralisp.hal.api.paging.Access;
import org.astralisp.hal.api.paging.AddressOutOfRangeException;
import org.astralisp.hal.api.paging.OutOfFramesException;
import org.astralisp.hal.api.paging.PageFaultException;
import org.astralisp.hal.api.paging.PageTable;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.hal.api.paging.ReservedEntryException;
import org.astralisp.hal.api.paging.Translation;
import org.astralisp.hal.api.paging.UnsupportedEntryException;
import org.astralisp.hal.api.paging.UnsupportedPermissionsException;
import org.astralisp.hal.api.paging.testing.ArenaPhysicalMemory;
import org.astralisp.hal.api.paging.testing.ComponentDescription;
import org.astralisp.hal.api.paging.testing.CountingFrameSource;
import org.astralisp.hal.api.paging.testing.ModelCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * x86-64 4-level paging against Intel SDM Vol. 3A §4.5. RAM from 0 (as on the x86_64 board); the
 * frame source hands out 0x10_0000, 0x10_1000, … so the first map's tables are the PML4 at 0x10_0000,
 * then the PDPT, PD and PT in the next three frames.
 */
class FourLevelPageTableFormatTest {

    private static final long PML4 = 0x10_0000;
    private static final long PDPT = 0x10_1000;
    private static final long PD = 0x10_2000;
    private static final long PT = 0x10_3000;
    private static final long TOP_OF_LOWER_HALF = 0x0000_7FFF_FFFF_F000L;
    private static final long START_OF_UPPER_HALF = 0xFFFF_8000_0000_0000L;
    private static final Permissions USER_DATA = Permissions.parse("rw-u-");

    private final FourLevelPageTableFormat format = new FourLevelPageTableFormat();
    private final ArenaPhysicalMemory ram = new ArenaPhysicalMemory(0, 4 << 20);
    private final CountingFrameSource frames = new CountingFrameSource(ram, 4096, PML4);
    private final PageTable table = format.create(ram, frames);

    @AfterEach
    void closeRam() {
        ram.close();
    }

    @Test
    void describesTheFormat() {
        assertEquals("x86-64 4-level", format.name());
        assertEquals(4096, format.pageSize());
        assertEquals(4, format.levels());
        assertEquals(48, format.virtualAddressBits());
        assertEquals(46, format.physicalAddressBits());
        assertEquals(ByteOrder.LITTLE_ENDIAN, format.byteOrder());
        assertEquals("x86-64 4-level (4096-byte pages, index bits 9/9/9/9)", format.toString());
    }

    /**
     * 0x0000_7FFF_FFFF_F000: bits 47:39 = 0x0FF (PML4 index 255), 38:30, 29:21 and 20:12 all ones
     * (511). Entry addresses: PML4 + 255 * 8 = 0x7F8, then 511 * 8 = 0xFF8 in the others. Directory
     * entries are the next table's address | P | R/W | U/S (0x7); the PTE for user data that may not be
     * executed is the frame | P | R/W | U/S | XD (bit 63).
     */
    @Test
    void workedExampleTopOfTheLowerHalf() {
        assertEquals(255, format.index(TOP_OF_LOWER_HALF, 3));
        assertEquals(511, format.index(TOP_OF_LOWER_HALF, 2));
        assertEquals(511, format.index(TOP_OF_LOWER_HALF, 1));
        assertEquals(511, format.index(TOP_OF_LOWER_HALF, 0));
        table.map(TOP_OF_LOWER_HALF, 0x0000_3FFF_FFFF_F000L, USER_DATA);
        assertEquals(0x0000_0000_0010_1007L, entry(PML4 + 0x7F8));
        assertEquals(0x0000_0000_0010_2007L, entry(PDPT + 0xFF8));
        assertEquals(0x0000_0000_0010_3007L, entry(PD + 0xFF8));
        assertEquals(0x8000_3FFF_FFFF_F007L, entry(PT + 0xFF8));
        assertArrayEquals(new byte[] {0x07, (byte) 0xF0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x3F, 0x00, (byte) 0x80},
                ram.bytes(PT + 0xFF8, 8), "little-endian in RAM");
        assertEquals(Optional.of(new Translation(0x0000_3FFF_FFFF_F000L, USER_DATA, false, false)), table.translate(TOP_OF_LOWER_HALF));
        assertEquals(4, frames.outstanding());
    }

    /**
     * 0xFFFF_8000_0000_0000: bit 47 set, so PML4 index 256 (entry at PML4 + 0x800), every other index
     * 0. Kernel text, global: the PTE is the frame | P | G (bit 8): not writable, not user, XD clear.
     */
    @Test
    void workedExampleStartOfTheUpperHalf() {
        assertEquals(256, format.index(START_OF_UPPER_HALF, 3));
        table.map(START_OF_UPPER_HALF, 0x20_0000, Permissions.parse("r-x-g"));
        assertEquals(0x0000_0000_0010_1007L, entry(PML4 + 0x800));
        assertEquals(0x0000_0000_0010_2007L, entry(PDPT));
        assertEquals(0x0000_0000_0010_3007L, entry(PD));
        assertEquals(0x0000_0000_0020_0101L, entry(PT));
        assertEquals(Permissions.parse("r-x-g"), table.translate(START_OF_UPPER_HALF + 0x123).orElseThrow().permissions());
        assertEquals(0x20_0123, table.translate(START_OF_UPPER_HALF + 0x123).orElseThrow().physical());
    }

    @Test
    void cr3IsThePml4Address() {
        assertEquals(PML4, table.root());
        assertEquals(PML4, table.rootDescriptor());
    }

    @Test
    void nonCanonicalAddressesAreOutOfRange() {
        assertTrue(format.inRange(0xFFFF_FFFF_FFFF_F000L));
        assertFalse(format.inRange(0x0000_8000_0000_0000L));
        assertFalse(format.inRange(0xFFFF_7FFF_FFFF_F000L));
        AddressOutOfRangeException e = assertThrows(AddressOutOfRangeException.class,
                () -> table.map(0x0000_8000_0000_0000L, 0x20_0000, USER_DATA));
        assertEquals("0x0000800000000000 is outside the canonical 48-bit virtual addresses (sign-extended from bit 47)", e.getMessage());
    }

    @Test
    void physicalAddressesMustFitBelowMaxphyaddr() {
        assertThrows(AddressOutOfRangeException.class, () -> table.map(0, 1L << 46, USER_DATA));
    }

    @Test
    void aPresentPageIsAlwaysReadable() {
        assertTrue(format.supports(Permissions.parse("r----")));
        assertFalse(format.supports(Permissions.parse("--x--")));
        UnsupportedPermissionsException e = assertThrows(UnsupportedPermissionsException.class,
                () -> table.map(0, 0x20_0000, Permissions.parse("-w-u-")));
        assertTrue(e.getMessage().contains("always readable"), e.getMessage());
    }

    @Test
    void addressBitsAboveMaxphyaddrAreReservedAtEveryLevel() {
        table.map(TOP_OF_LOWER_HALF, 0x20_0000, USER_DATA);
        long pde = entry(PD + 0xFF8) | 1L << 46;
        setEntry(PD + 0xFF8, pde);
        ReservedEntryException e = assertThrows(ReservedEntryException.class, () -> table.translate(TOP_OF_LOWER_HALF));
        assertEquals(1, e.level());
        assertEquals(pde, e.entry());
        assertEquals(TOP_OF_LOWER_HALF, e.virtualAddress());
        assertEquals("reserved bit pattern in the PD entry (level 1) for virtual address 0x00007ffffffff000: entry 0x0000400000103007: "
                + "bits 51:46 are reserved above MAXPHYADDR 46 (SDM Vol. 3A §4.5, §4.7 RSVD)", e.getMessage());
        setEntry(PD + 0xFF8, pde & ~(1L << 46));
        setEntry(PT + 0xFF8, entry(PT + 0xFF8) | 1L << 51);
        assertEquals(0, assertThrows(ReservedEntryException.class, () -> table.translate(TOP_OF_LOWER_HALF)).level());
    }

    @Test
    void psIsReservedInAPml4Entry() {
        table.map(0, 0x20_0000, USER_DATA);
        setEntry(PML4, entry(PML4) | PS);
        ReservedEntryException e = assertThrows(ReservedEntryException.class, () -> table.translate(0));
        assertEquals(3, e.level());
        assertTrue(e.getMessage().endsWith("PS (bit 7) is reserved in a PML4E (SDM Vol. 3A Table 4-15)"), e.getMessage());
    }

    @Test
    void aTwoMegabytePageIsRecognisedButNotFollowed() {
        table.map(0, 0x20_0000, USER_DATA);
        setEntry(PD, 0x40_0000 | P | RW | PS);
        UnsupportedEntryException e = assertThrows(UnsupportedEntryException.class, () -> table.translate(0));
        assertEquals(1, e.level());
        assertTrue(e.getMessage().endsWith("PS=1 maps a 2 MiB page; this table maps 4 KiB pages only"), e.getMessage());
        setEntry(PD, 0x40_0000 | 1L << 13 | P | RW | PS);
        ReservedEntryException reserved = assertThrows(ReservedEntryException.class, () -> table.translate(0));
        assertTrue(reserved.getMessage().contains("bits 20:13 of an entry mapping a 2 MiB page are reserved"), reserved.getMessage());
    }

    @Test
    void aOneGigabytePageIsRecognisedButNotFollowed() {
        table.map(0, 0x20_0000, USER_DATA);
        setEntry(PDPT, 0x4000_0000L | P | PS);
        assertEquals(2, assertThrows(UnsupportedEntryException.class, () -> table.translate(0)).level());
        setEntry(PDPT, 0x4000_0000L | 1L << 29 | P | PS);
        assertTrue(assertThrows(ReservedEntryException.class, () -> table.translate(0)).getMessage().contains("bits 29:13"));
    }

    @Test
    void directoryEntriesRestrictEverythingBelowThem() {
        table.map(TOP_OF_LOWER_HALF, 0x20_0000, Permissions.parse("rwxu-"));
        setEntry(PDPT + 0xFF8, entry(PDPT + 0xFF8) & ~RW);
        assertEquals(Permissions.parse("r-xu-"), table.translate(TOP_OF_LOWER_HALF).orElseThrow().permissions());
        setEntry(PML4 + 0x7F8, entry(PML4 + 0x7F8) | XD);
        assertEquals(Permissions.parse("r--u-"), table.translate(TOP_OF_LOWER_HALF).orElseThrow().permissions());
        setEntry(PD + 0xFF8, entry(PD + 0xFF8) & ~US);
        assertEquals(Permissions.parse("r----"), table.translate(TOP_OF_LOWER_HALF).orElseThrow().permissions());
        assertThrows(PageFaultException.class, () -> table.access(TOP_OF_LOWER_HALF, Access.READ, Privilege.USER));
    }

    @Test
    void anAccessSetsAInEveryLevelAndAWriteSetsDInThePte() {
        table.map(TOP_OF_LOWER_HALF, 0x20_0000, USER_DATA);
        table.access(TOP_OF_LOWER_HALF, Access.WRITE, Privilege.USER);
        assertEquals(PDPT | P | RW | US | A, entry(PML4 + 0x7F8));
        assertEquals(PD | P | RW | US | A, entry(PDPT + 0xFF8));
        assertEquals(PT | P | RW | US | A, entry(PD + 0xFF8));
        assertEquals(0x20_0000 | P | RW | US | A | D | XD, entry(PT + 0xFF8));
        assertTrue(table.clearDirty(TOP_OF_LOWER_HALF));
        assertEquals(0x20_0000 | P | RW | US | A | XD, entry(PT + 0xFF8));
    }

    @Test
    void protectRewritesOnlyThePermissionBits() {
        table.map(TOP_OF_LOWER_HALF, 0x20_0000, USER_DATA);
        table.access(TOP_OF_LOWER_HALF, Access.WRITE, Privilege.USER);
        table.protect(TOP_OF_LOWER_HALF, Permissions.parse("r-x-g"));
        assertEquals(0x20_0000 | P | A | D | FourLevelPageTableFormat.G, entry(PT + 0xFF8));
    }

    @Test
    void runningOutOfFramesAfterThePdptKeepsNeither() {
        CountingFrameSource two = new CountingFrameSource(ram, 4096, 0x20_0000, 2);
        PageTable small = format.create(ram, two);
        assertThrows(OutOfFramesException.class, () -> small.map(TOP_OF_LOWER_HALF, 0x40_0000, USER_DATA));
        assertEquals(0, entry(small.root() + 0x7F8));
        assertEquals(1, two.outstanding());
    }

    @Test
    void unmappingEverythingGivesBackEveryFrameButTheRoot() {
        table.map(TOP_OF_LOWER_HALF, 0x20_0000, USER_DATA);
        table.map(START_OF_UPPER_HALF, 0x20_1000, USER_DATA);
        assertEquals(7, frames.outstanding());
        table.unmap(TOP_OF_LOWER_HALF);
        table.unmap(START_OF_UPPER_HALF);
        assertEquals(1, frames.outstanding());
        table.release();
        assertEquals(0, frames.outstanding());
    }

    @Test
    void agreesWithAMapModelOnRandomOperations() {
        new ModelCheck(format, 0x86_64L).run(ram, 0x20_0000, 5000);
    }

    @Test
    void isADeclarativeServicesComponentForX86_64() throws Exception {
        ComponentDescription component = ComponentDescription.of(FourLevelPageTableFormat.class);
        assertEquals("org.astralisp.hal.api.paging.PageTableFormat", component.providedInterface());
        assertEquals("x86_64", component.property("arch"));
        assertEquals("4-level", component.property("paging"));
    }

    private long entry(long physical) {
        return ram.segment().get(ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN), physical);
    }

    private void setEntry(long physical, long value) {
        ram.segment().set(ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN), physical, value);
    }
}
