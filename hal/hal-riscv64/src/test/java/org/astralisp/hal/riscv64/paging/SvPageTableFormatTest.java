package org.astralisp.hal.riscv64.paging;

import static org.astralisp.hal.riscv64.paging.SvPageTableFormat.A;
import static org.astralisp.hal.riscv64.paging.SvPageTableFormat.D;
import static org.astralisp.hal.riscv64.paging.SvPageTableFormat.G;
import static org.astralisp.hal.riscv64.paging.SvPageTableFormat.R;
import static org.astralisp.hal.riscv64.paging.SvPageTableFormat.U;
import static org.astralisp.hal.riscv64.paging.SvPageTableFormat.V;
import static org.astralisp.hal.riscv64.paging.SvPageTableFormat.W;
import static org.astralisp.hal.riscv64.paging.SvPageTableFormat.X;
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
 * Sv39 and Sv48 against the RISC-V privileged specification §4.3–§4.5. RAM from 0x8000_0000 (as on the
 * riscv64 board); the frame source hands out 0x8010_0000, 0x8010_1000, … so the first map's tables are
 * the root at 0x8010_0000 and then one table per level in the next frames.
 */
class SvPageTableFormatTest {

    private static final long RAM = 0x8000_0000L;
    private static final long ROOT = 0x8010_0000L;
    private static final long SECOND = 0x8010_1000L;
    private static final long THIRD = 0x8010_2000L;
    private static final long FOURTH = 0x8010_3000L;
    private static final long SV39_TOP_OF_LOWER_HALF = 0x0000_003F_FFFF_F000L;
    private static final long SV39_START_OF_UPPER_HALF = 0xFFFF_FFC0_0000_0000L;
    private static final long SV48_TOP_OF_LOWER_HALF = 0x0000_7FFF_FFFF_F000L;
    private static final Permissions USER_DATA = Permissions.parse("rw-u-");

    private final Sv39PageTableFormat sv39 = new Sv39PageTableFormat();
    private final ArenaPhysicalMemory ram = new ArenaPhysicalMemory(RAM, 4 << 20);
    private final CountingFrameSource frames = new CountingFrameSource(ram, 4096, ROOT);
    private final PageTable table = sv39.create(ram, frames);

    @AfterEach
    void closeRam() {
        ram.close();
    }

    @Test
    void describesSv39AndSv48() {
        Sv48PageTableFormat sv48 = new Sv48PageTableFormat();
        assertEquals("Sv39 (4096-byte pages, index bits 9/9/9)", sv39.toString());
        assertEquals("Sv48 (4096-byte pages, index bits 9/9/9/9)", sv48.toString());
        assertEquals(39, sv39.virtualAddressBits());
        assertEquals(48, sv48.virtualAddressBits());
        assertEquals(56, sv39.physicalAddressBits());
        assertEquals(ByteOrder.LITTLE_ENDIAN, sv48.byteOrder());
    }

    /**
     * Sv39, 0x0000_003F_FFFF_F000: VPN[2] = bits 38:30 = 0x0FF (255, entry at root + 0x7F8), VPN[1] and
     * VPN[0] all ones (511, + 0xFF8). A pointer is PPN &lt;&lt; 10 | V: the table at 0x8010_1000 has PPN
     * 0x80101, so 0x2004_0401. The leaf for frame 0x8020_0000 (PPN 0x80200) with R, W, U: 0x2008_0017.
     */
    @Test
    void workedExampleSv39TopOfTheLowerHalf() {
        assertEquals(255, sv39.index(SV39_TOP_OF_LOWER_HALF, 2));
        assertEquals(511, sv39.index(SV39_TOP_OF_LOWER_HALF, 1));
        assertEquals(511, sv39.index(SV39_TOP_OF_LOWER_HALF, 0));
        table.map(SV39_TOP_OF_LOWER_HALF, 0x8020_0000L, USER_DATA);
        assertEquals(0x0000_0000_2004_0401L, entry(ROOT + 0x7F8));
        assertEquals(0x0000_0000_2004_0801L, entry(SECOND + 0xFF8));
        assertEquals(0x0000_0000_2008_0017L, entry(THIRD + 0xFF8));
        assertArrayEquals(new byte[] {0x17, 0x00, 0x08, 0x20, 0, 0, 0, 0}, ram.bytes(THIRD + 0xFF8, 8), "little-endian in RAM");
        assertEquals(Optional.of(new Translation(0x8020_0000L, USER_DATA, false, false)), table.translate(SV39_TOP_OF_LOWER_HALF));
    }

    /** Sv39, 0xFFFF_FFC0_0000_0000: VPN[2] = 256 (root + 0x800); kernel text R|X|G for PPN 0x80000: 0x2000_002B. */
    @Test
    void workedExampleSv39StartOfTheUpperHalf() {
        assertEquals(256, sv39.index(SV39_START_OF_UPPER_HALF, 2));
        table.map(SV39_START_OF_UPPER_HALF, 0x8000_0000L, Permissions.parse("r-x-g"));
        assertEquals(0x0000_0000_2004_0401L, entry(ROOT + 0x800));
        assertEquals(0x0000_0000_2000_002BL, entry(THIRD));
    }

    /** Sv48, 0x0000_7FFF_FFFF_F000: VPN[3] = bits 47:39 = 255, the other three 511; one table more. */
    @Test
    void workedExampleSv48TopOfTheLowerHalf() {
        Sv48PageTableFormat sv48 = new Sv48PageTableFormat();
        CountingFrameSource sv48Frames = new CountingFrameSource(ram, 4096, 0x8020_0000L);
        PageTable sv48Table = sv48.create(ram, sv48Frames);
        assertEquals(255, sv48.index(SV48_TOP_OF_LOWER_HALF, 3));
        sv48Table.map(SV48_TOP_OF_LOWER_HALF, 0x8000_0000L, USER_DATA);
        assertEquals(0x0000_0000_2008_0401L, entry(0x8020_0000L + 0x7F8));
        assertEquals(0x0000_0000_2008_0801L, entry(0x8020_1000L + 0xFF8));
        assertEquals(0x0000_0000_2008_0C01L, entry(0x8020_2000L + 0xFF8));
        assertEquals(0x0000_0000_2000_0017L, entry(0x8020_3000L + 0xFF8));
        assertEquals(0x9000_0000_0008_0200L, sv48Table.rootDescriptor());
    }

    /** satp: MODE 8 (Sv39) in bits 63:60, ASID 0, the root's PPN 0x80100. */
    @Test
    void satpSelectsSv39AndTheRoot() {
        assertEquals(ROOT, table.root());
        assertEquals(0x8000_0000_0008_0100L, table.rootDescriptor());
    }

    @Test
    void addressesBeyondTheTranslatedBitsAreOutOfRange() {
        assertTrue(sv39.inRange(0xFFFF_FFFF_FFFF_F000L));
        assertFalse(sv39.inRange(0x0000_0040_0000_0000L));
        assertFalse(sv39.inRange(0xFFFF_FFBF_FFFF_F000L));
        assertTrue(new Sv48PageTableFormat().inRange(0x0000_0040_0000_0000L));
        assertFalse(new Sv48PageTableFormat().inRange(0x0000_8000_0000_0000L));
        AddressOutOfRangeException e = assertThrows(AddressOutOfRangeException.class,
                () -> table.map(0x0000_0040_0000_0000L, RAM, USER_DATA));
        assertEquals("0x0000004000000000 is outside the canonical 39-bit virtual addresses (sign-extended from bit 38)", e.getMessage());
        assertThrows(AddressOutOfRangeException.class, () -> table.map(0, 1L << 56, USER_DATA));
    }

    @Test
    void writeWithoutReadAndNoAccessAtAllCannotBeExpressed() {
        assertTrue(sv39.supports(Permissions.parse("--x--")));
        assertFalse(sv39.supports(Permissions.parse("-wx--")));
        UnsupportedPermissionsException writeOnly = assertThrows(UnsupportedPermissionsException.class,
                () -> table.map(0, RAM, Permissions.parse("-w---")));
        assertTrue(writeOnly.getMessage().endsWith("W=1 with R=0 is reserved (privileged spec §4.3.1)"), writeOnly.getMessage());
        UnsupportedPermissionsException none = assertThrows(UnsupportedPermissionsException.class,
                () -> table.map(0, RAM, Permissions.parse("---u-")));
        assertTrue(none.getMessage().contains("R=W=X=0 marks a pointer"), none.getMessage());
    }

    @Test
    void aLeafWithWriteButNotReadIsReserved() {
        table.map(SV39_TOP_OF_LOWER_HALF, 0x8020_0000L, USER_DATA);
        long bad = entry(THIRD + 0xFF8) & ~R;
        setEntry(THIRD + 0xFF8, bad);
        ReservedEntryException e = assertThrows(ReservedEntryException.class, () -> table.translate(SV39_TOP_OF_LOWER_HALF));
        assertEquals(0, e.level());
        assertEquals(bad, e.entry());
        assertEquals("reserved bit pattern in the VPN[0] entry (level 0) for virtual address 0x0000003ffffff000: entry "
                + "0x0000000020080015: W=1 with R=0 is reserved (privileged spec §4.3.1)", e.getMessage());
    }

    @Test
    void aNonLeafWithAccessedDirtyOrUserIsReserved() {
        table.map(SV39_TOP_OF_LOWER_HALF, 0x8020_0000L, USER_DATA);
        long pointer = entry(ROOT + 0x7F8);
        for (long bit : new long[] {A, D, U}) {
            setEntry(ROOT + 0x7F8, pointer | bit);
            ReservedEntryException e = assertThrows(ReservedEntryException.class, () -> table.translate(SV39_TOP_OF_LOWER_HALF));
            assertEquals(2, e.level());
            assertTrue(e.getMessage().endsWith("A, D and U are reserved in a non-leaf PTE (privileged spec §4.3.1)"), e.getMessage());
        }
    }

    @Test
    void bits63To54AreReservedWithoutSvnapotAndSvpbmt() {
        table.map(SV39_TOP_OF_LOWER_HALF, 0x8020_0000L, USER_DATA);
        long leaf = entry(THIRD + 0xFF8);
        for (int bit : new int[] {54, 60, 61, 63}) {
            setEntry(THIRD + 0xFF8, leaf | 1L << bit);
            assertEquals(0, assertThrows(ReservedEntryException.class, () -> table.translate(SV39_TOP_OF_LOWER_HALF)).level());
        }
        setEntry(THIRD + 0xFF8, leaf);
        setEntry(SECOND + 0xFF8, entry(SECOND + 0xFF8) | 1L << 62);
        assertEquals(1, assertThrows(ReservedEntryException.class, () -> table.translate(SV39_TOP_OF_LOWER_HALF)).level());
    }

    @Test
    void aPointerAtLevelZeroIsReserved() {
        table.map(SV39_TOP_OF_LOWER_HALF, 0x8020_0000L, USER_DATA);
        setEntry(THIRD + 0xFF8, 0x2008_0001L);
        ReservedEntryException e = assertThrows(ReservedEntryException.class, () -> table.translate(SV39_TOP_OF_LOWER_HALF));
        assertTrue(e.getMessage().endsWith("a pointer (R=W=X=0) at level 0 (privileged spec §4.3.2 step 4)"), e.getMessage());
    }

    @Test
    void anAlignedSuperpageIsRecognisedButNotFollowed() {
        table.map(0, 0x8020_0000L, USER_DATA);
        setEntry(SECOND, 0x2008_0000L | R | W | V);
        UnsupportedEntryException megapage = assertThrows(UnsupportedEntryException.class, () -> table.translate(0));
        assertEquals(1, megapage.level());
        assertTrue(megapage.getMessage().endsWith("a leaf at level 1 maps a 2 MiB superpage; this table maps 4 KiB pages only"));
        setEntry(ROOT, 0x2000_0000L | R | X | V);
        assertTrue(assertThrows(UnsupportedEntryException.class, () -> table.translate(0)).getMessage().contains("1 GiB superpage"));
    }

    @Test
    void aMisalignedSuperpageIsReserved() {
        table.map(0, 0x8020_0000L, USER_DATA);
        setEntry(SECOND, 0x2008_0400L | R | W | V);
        ReservedEntryException e = assertThrows(ReservedEntryException.class, () -> table.translate(0));
        assertTrue(e.getMessage().endsWith("misaligned superpage: PPN[0:0] must be zero (privileged spec §4.3.2 step 6)"), e.getMessage());
    }

    @Test
    void globalInAPointerMakesEverythingBelowGlobal() {
        table.map(0, 0x8020_0000L, Permissions.parse("rw---"));
        setEntry(ROOT, entry(ROOT) | G);
        assertEquals(Permissions.parse("rw--g"), table.translate(0).orElseThrow().permissions());
    }

    @Test
    void hardwareSetsAAndDInTheLeafOnlyAndKeepsTheKernelOutOfUserPages() {
        table.map(SV39_TOP_OF_LOWER_HALF, 0x8020_0000L, USER_DATA);
        long pointer = entry(ROOT + 0x7F8);
        assertThrows(PageFaultException.class, () -> table.access(SV39_TOP_OF_LOWER_HALF, Access.READ, Privilege.SUPERVISOR));
        table.access(SV39_TOP_OF_LOWER_HALF, Access.WRITE, Privilege.USER);
        assertEquals(0x2008_0017L | A | D, entry(THIRD + 0xFF8));
        assertEquals(pointer, entry(ROOT + 0x7F8), "A is reserved in a pointer: the walk does not set it");
    }

    @Test
    void protectRewritesOnlyThePermissionBits() {
        table.map(SV39_TOP_OF_LOWER_HALF, 0x8020_0000L, USER_DATA);
        table.access(SV39_TOP_OF_LOWER_HALF, Access.READ, Privilege.USER);
        table.protect(SV39_TOP_OF_LOWER_HALF, Permissions.parse("--x--"));
        assertEquals(0x2008_0000L | V | X | A, entry(THIRD + 0xFF8));
    }

    @Test
    void unmappingEverythingGivesBackEveryFrameButTheRoot() {
        table.map(SV39_TOP_OF_LOWER_HALF, 0x8020_0000L, USER_DATA);
        table.map(SV39_START_OF_UPPER_HALF, 0x8020_1000L, USER_DATA);
        assertEquals(5, frames.outstanding());
        table.unmap(SV39_START_OF_UPPER_HALF);
        table.unmap(SV39_TOP_OF_LOWER_HALF);
        assertEquals(1, frames.outstanding());
        assertEquals(0, entry(ROOT + 0x7F8));
    }

    @Test
    void sv39AgreesWithAMapModelOnRandomOperations() {
        new ModelCheck(sv39, 0x5739L).run(ram, 0x8020_0000L, 5000);
    }

    @Test
    void sv48AgreesWithAMapModelOnRandomOperations() {
        new ModelCheck(new Sv48PageTableFormat(), 0x5748L).run(ram, 0x8020_0000L, 5000);
    }

    @Test
    void sv39IsTheRiscv64ComponentRankedAboveSv48() throws Exception {
        ComponentDescription sv39Component = ComponentDescription.of(Sv39PageTableFormat.class);
        ComponentDescription sv48Component = ComponentDescription.of(Sv48PageTableFormat.class);
        assertEquals("org.astralisp.hal.api.paging.PageTableFormat", sv39Component.providedInterface());
        assertEquals("org.astralisp.hal.api.paging.PageTableFormat", sv48Component.providedInterface());
        assertEquals("riscv64", sv39Component.property("arch"));
        assertEquals("riscv64", sv48Component.property("arch"));
        assertEquals("sv39", sv39Component.property("paging"));
        assertEquals("sv48", sv48Component.property("paging"));
        assertTrue(Integer.parseInt(sv39Component.property("service.ranking")) > Integer.parseInt(sv48Component.property("service.ranking")));
    }

    private long entry(long physical) {
        return ram.segment().get(ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN), physical - RAM);
    }

    private void setEntry(long physical, long value) {
        ram.segment().set(ValueLayout.JAVA_LONG.withOrder(ByteOrder.LITTLE_ENDIAN), physical - RAM, value);
    }
}
