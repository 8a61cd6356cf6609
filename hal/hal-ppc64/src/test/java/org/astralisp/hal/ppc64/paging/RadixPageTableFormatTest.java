package org.astralisp.hal.ppc64.paging;

import static org.astralisp.hal.ppc64.paging.RadixPageTableFormat.C;
import static org.astralisp.hal.ppc64.paging.RadixPageTableFormat.L;
import static org.astralisp.hal.ppc64.paging.RadixPageTableFormat.PRIVILEGED;
import static org.astralisp.hal.ppc64.paging.RadixPageTableFormat.R;
import static org.astralisp.hal.ppc64.paging.RadixPageTableFormat.READ;
import static org.astralisp.hal.ppc64.paging.RadixPageTableFormat.V;
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
import org.astralisp.hal.api.paging.MisalignedAddressException;
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
 * The PowerISA 3.0 radix tree with 64 KiB pages against PowerISA 3.0 Book III §5.7 (Radix Tree Translation). RAM from 0 (as on the ppc64
 * board); the frame source hands out 64 KiB frames from 0x10_0000. The root (64 KiB) is the first
 * frame; 4 KiB PUDs and PMDs are carved from the second, sixteen to it; 256-byte PTE tables from the
 * third, 256 to it.
 */
class RadixPageTableFormatTest {

    private static final long PGD = 0x10_0000;
    private static final long DIRECTORIES = 0x11_0000;
    private static final long PTE_TABLES = 0x12_0000;
    private static final long TOP = 0x000F_FFFF_FFFF_0000L;
    private static final long DATA = 0x0000_0001_2345_0000L;
    private static final Permissions USER_DATA = Permissions.parse("rw-u-");

    private final RadixPageTableFormat format = new RadixPageTableFormat();
    private final ArenaPhysicalMemory ram = new ArenaPhysicalMemory(0, 8 << 20);
    private final CountingFrameSource frames = new CountingFrameSource(ram, 65536, PGD);
    private final PageTable table = format.create(ram, frames);

    @AfterEach
    void closeRam() {
        ram.close();
    }

    @Test
    void describesTheFormat() {
        assertEquals("radix 64K (65536-byte pages, index bits 13/9/9/5)", format.toString());
        assertEquals(65536, format.pageSize());
        assertEquals(4, format.levels());
        assertEquals(52, format.virtualAddressBits());
        assertEquals(57, format.physicalAddressBits());
        assertEquals(ByteOrder.BIG_ENDIAN, format.byteOrder());
        assertEquals(65536, format.tableBytes(3));
        assertEquals(4096, format.tableBytes(2));
        assertEquals(256, format.tableBytes(0));
    }

    /**
     * 0x000F_FFFF_FFFF_0000: EA bits 51:39 all ones (PGD index 8191, entry at + 0xFFF8), 38:30 and 29:21
     * (511, + 0xFF8), 20:16 (PTE index 31, + 0xF8). A directory entry is V | next table | NLS, the
     * next table's index width: 0x8000_0000_0011_0009 for the PUD at 0x11_0000. The PTE for user data
     * at 0x1_2345_0000 is V | L | RPN | EAA read | EAA read/write: 0xC000_0001_2345_0006, stored
     * most significant byte first.
     */
    @Test
    void workedExampleTopOfTheTree() {
        assertEquals(8191, format.index(TOP, 3));
        assertEquals(511, format.index(TOP, 2));
        assertEquals(511, format.index(TOP, 1));
        assertEquals(31, format.index(TOP, 0));
        table.map(TOP, DATA, USER_DATA);
        assertEquals(0x8000_0000_0011_0009L, entry(PGD + 0xFFF8));
        assertEquals(0x8000_0000_0011_1009L, entry(DIRECTORIES + 0xFF8));
        assertEquals(0x8000_0000_0012_0005L, entry(DIRECTORIES + 0x1000 + 0xFF8));
        assertEquals(0xC000_0001_2345_0006L, entry(PTE_TABLES + 0xF8));
        assertArrayEquals(new byte[] {(byte) 0xC0, 0x00, 0x00, 0x01, 0x23, 0x45, 0x00, 0x06}, ram.bytes(PTE_TABLES + 0xF8, 8),
                "big-endian in RAM");
        assertArrayEquals(new byte[] {(byte) 0x80, 0, 0, 0, 0, 0x11, 0x00, 0x09}, ram.bytes(PGD + 0xFFF8, 8), "big-endian in RAM");
        assertEquals(Optional.of(new Translation(DATA, USER_DATA, false, false)), table.translate(TOP));
        assertEquals(3, frames.outstanding());
    }

    /**
     * 0x0000_0000_1234_0000: PGD 0, PUD 0, PMD 0x91 (EA bits 29:21 of 0x1234_0000), PTE 0x14 (bits
     * 20:16). Its tables are carved from the frames the first mapping opened: the PUD and PMD are the
     * third and fourth 4 KiB of the directory frame, the PTE table the second 256 bytes of the PTE
     * frame. Kernel text: EAA privileged | read | execute (0xD).
     */
    @Test
    void workedExampleTablesShareFrames() {
        long va = 0x0000_0000_1234_0000L;
        assertEquals(0x91, format.index(va, 1));
        assertEquals(0x14, format.index(va, 0));
        table.map(TOP, DATA, USER_DATA);
        table.map(va, 0x40_0000, Permissions.parse("r-x--"));
        assertEquals(0x8000_0000_0011_2009L, entry(PGD));
        assertEquals(0x8000_0000_0011_3009L, entry(DIRECTORIES + 0x2000));
        assertEquals(0x8000_0000_0012_0105L, entry(DIRECTORIES + 0x3000 + 0x91 * 8));
        assertEquals(0xC000_0000_0040_000DL, entry(PTE_TABLES + 0x100 + 0x14 * 8));
        assertEquals(3, frames.outstanding());
        assertEquals(Permissions.parse("r-x--"), table.translate(va + 0xFFFF).orElseThrow().permissions());
        assertEquals(0x40_FFFF, table.translate(va + 0xFFFF).orElseThrow().physical());
    }

    /** Process-table entry doubleword 0: RTS = 52 - 31 = 0b10101 as RTS1 0b10 (bits 1:2), RTS2 0b101 (bits 56:58); RPDS 13. */
    @Test
    void processTableEntryDescribesA52BitTreeRootedAtThePgd() {
        assertEquals(PGD, table.root());
        assertEquals(0x4000_0000_0010_00ADL, table.rootDescriptor());
    }

    @Test
    void theTreeTranslates52BitsAndTheQuadrantIsTheCallers() {
        assertTrue(format.inRange(TOP + 0xFFFF));
        assertFalse(format.inRange(1L << 52));
        assertFalse(format.inRange(0xC000_0000_0000_0000L));
        AddressOutOfRangeException e = assertThrows(AddressOutOfRangeException.class,
                () -> table.map(0xC000_0000_0000_0000L, DATA, USER_DATA));
        assertEquals("0xc000000000000000 is outside the 52-bit virtual addresses [0, 2^52)", e.getMessage());
        assertThrows(AddressOutOfRangeException.class, () -> table.map(0, 1L << 57, USER_DATA));
    }

    @Test
    void pagesAre64KiB() {
        assertThrows(MisalignedAddressException.class, () -> table.map(0x1000, DATA, USER_DATA));
        assertThrows(MisalignedAddressException.class, () -> table.map(0, DATA + 0x1000, USER_DATA));
    }

    @Test
    void thereIsNoGlobalBitAndReadWriteGrantsRead() {
        UnsupportedPermissionsException global = assertThrows(UnsupportedPermissionsException.class,
                () -> table.map(0, DATA, Permissions.parse("r-x-g")));
        assertTrue(global.getMessage().contains("radix PTEs have no global bit"), global.getMessage());
        assertFalse(format.supports(Permissions.parse("-w-u-")));
        assertTrue(format.supports(Permissions.parse("--xu-")));
    }

    @Test
    void aPageWithNoAccessIsExpressible() {
        table.map(0, DATA, Permissions.parse("-----"));
        assertEquals(V | L | DATA | PRIVILEGED, entry(PTE_TABLES));
        assertEquals(Permissions.parse("-----"), table.translate(0).orElseThrow().permissions());
    }

    @Test
    void reservedPteBitsStopTheWalk() {
        table.map(TOP, DATA, USER_DATA);
        long leaf = entry(PTE_TABLES + 0xF8);
        for (long bit : new long[] {1L << 60, 1L << 57, 0x40}) {
            setEntry(PTE_TABLES + 0xF8, leaf | bit);
            ReservedEntryException e = assertThrows(ReservedEntryException.class, () -> table.translate(TOP));
            assertEquals(0, e.level());
            assertEquals(leaf | bit, e.entry());
            assertTrue(e.getMessage().endsWith("bits 3:6 and 57 of a radix PTE are reserved"), e.getMessage());
        }
    }

    @Test
    void reservedDirectoryBitsStopTheWalk() {
        table.map(TOP, DATA, USER_DATA);
        long pmd = entry(DIRECTORIES + 0x1FF8);
        for (long bit : new long[] {1L << 61, 1L << 60, 0x80, 0x20}) {
            setEntry(DIRECTORIES + 0x1FF8, pmd | bit);
            ReservedEntryException e = assertThrows(ReservedEntryException.class, () -> table.translate(TOP));
            assertEquals(1, e.level());
            assertEquals("reserved bit pattern in the PMD entry (level 1) for virtual address 0x000fffffffff0000: entry "
                    + String.format("0x%016x", pmd | bit) + ": bits 2:3 and 56:58 of a radix directory entry are reserved", e.getMessage());
        }
    }

    @Test
    void aDirectoryEntryInTheLastLevelIsReserved() {
        table.map(TOP, DATA, USER_DATA);
        setEntry(PTE_TABLES + 0xF8, V | 0x13_0000 | 5);
        assertTrue(assertThrows(ReservedEntryException.class, () -> table.translate(TOP)).getMessage()
                .endsWith("a directory entry (L=0) in the last level, which has no level below"));
    }

    @Test
    void aLeafAboveTheLastLevelIsRecognisedButNotFollowed() {
        table.map(TOP, DATA, USER_DATA);
        setEntry(DIRECTORIES + 0x1FF8, V | L | 0x20_0000 | READ);
        UnsupportedEntryException e = assertThrows(UnsupportedEntryException.class, () -> table.translate(TOP));
        assertEquals(1, e.level());
        assertTrue(e.getMessage().endsWith("a leaf (L=1) here maps a 2 MiB page; this table maps 64 KiB pages only"), e.getMessage());
        setEntry(DIRECTORIES + 0x1FF8, V | L | 0x20_0000 | READ | 0x40);
        assertEquals(1, assertThrows(ReservedEntryException.class, () -> table.translate(TOP)).level());
        setEntry(DIRECTORIES + 0xFF8, V | L | 0x4000_0000L | READ);
        assertTrue(assertThrows(UnsupportedEntryException.class, () -> table.translate(TOP)).getMessage().contains("1 GiB page"));
    }

    @Test
    void aDirectoryForAnotherGeometryIsNotFollowed() {
        table.map(TOP, DATA, USER_DATA);
        setEntry(DIRECTORIES + 0x1FF8, V | PTE_TABLES | 9);
        UnsupportedEntryException e = assertThrows(UnsupportedEntryException.class, () -> table.translate(TOP));
        assertTrue(e.getMessage().endsWith("NLS=9 makes the next table 2^9 entries; this tree's PTE table has 2^5 "
                + "(the 13/9/9/5 geometry of 64 KiB pages)"), e.getMessage());
    }

    @Test
    void hardwareSetsReferenceAndChangeInTheBigEndianPte() {
        table.map(TOP, DATA, USER_DATA);
        assertThrows(PageFaultException.class, () -> table.access(TOP, Access.READ, Privilege.SUPERVISOR));
        table.access(TOP + 0x10, Access.WRITE, Privilege.USER);
        assertEquals(0xC000_0001_2345_0006L | R | C, entry(PTE_TABLES + 0xF8));
        assertArrayEquals(new byte[] {(byte) 0xC0, 0x00, 0x00, 0x01, 0x23, 0x45, 0x01, (byte) 0x86}, ram.bytes(PTE_TABLES + 0xF8, 8));
        assertTrue(table.clearAccessed(TOP));
        assertEquals(0xC000_0001_2345_0006L | C, entry(PTE_TABLES + 0xF8));
    }

    @Test
    void protectRewritesOnlyTheAccessAuthority() {
        table.map(TOP, DATA, USER_DATA);
        table.access(TOP, Access.WRITE, Privilege.USER);
        table.protect(TOP, Permissions.parse("r-x--"));
        assertEquals(0xC000_0001_2345_0000L | R | C | 0xD, entry(PTE_TABLES + 0xF8));
    }

    @Test
    void unmappingEverythingGivesBackTheCarvedFrames() {
        table.map(TOP, DATA, USER_DATA);
        table.map(0x0000_0000_1234_0000L, DATA, USER_DATA);
        table.unmap(TOP);
        assertEquals(3, frames.outstanding());
        table.unmap(0x0000_0000_1234_0000L);
        assertEquals(1, frames.outstanding());
        assertEquals(0, entry(PGD));
        assertEquals(0, entry(PGD + 0xFFF8));
    }

    @Test
    void agreesWithAMapModelOnRandomOperations() {
        new ModelCheck(format, 0x9964L).run(ram, 0x40_0000, 5000);
    }

    @Test
    void isADeclarativeServicesComponentForPpc64() throws Exception {
        ComponentDescription component = ComponentDescription.of(RadixPageTableFormat.class);
        assertEquals("org.astralisp.hal.api.paging.PageTableFormat", component.providedInterface());
        assertEquals("ppc64", component.property("arch"));
        assertEquals("radix-64k", component.property("paging"));
    }

    private long entry(long physical) {
        return ram.segment().get(ValueLayout.JAVA_LONG.withOrder(ByteOrder.BIG_ENDIAN), physical);
    }

    private void setEntry(long physical, long value) {
        ram.segment().set(ValueLayout.JAVA_LONG.withOrder(ByteOrder.BIG_ENDIAN), physical, value);
    }
}
