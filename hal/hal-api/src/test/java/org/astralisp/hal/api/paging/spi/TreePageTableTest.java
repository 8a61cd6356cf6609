package org.astralisp.hal.api.paging.spi;

import static org.astralisp.hal.api.paging.spi.ToyPageTableFormat.A;
import static org.astralisp.hal.api.paging.spi.ToyPageTableFormat.D;
import static org.astralisp.hal.api.paging.spi.ToyPageTableFormat.HUGE;
import static org.astralisp.hal.api.paging.spi.ToyPageTableFormat.P;
import static org.astralisp.hal.api.paging.spi.ToyPageTableFormat.RESERVED;
import static org.astralisp.hal.api.paging.spi.ToyPageTableFormat.U;
import static org.astralisp.hal.api.paging.spi.ToyPageTableFormat.W;
import static org.astralisp.hal.api.paging.spi.ToyPageTableFormat.X;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.ValueLayout;
import java.util.Optional;
import org.astralisp.hal.api.paging.Access;
import org.astralisp.hal.api.paging.AddressOutOfRangeException;
import org.astralisp.hal.api.paging.AlreadyMappedException;
import org.astralisp.hal.api.paging.FrameSource;
import org.astralisp.hal.api.paging.MisalignedAddressException;
import org.astralisp.hal.api.paging.NotMappedException;
import org.astralisp.hal.api.paging.OutOfFramesException;
import org.astralisp.hal.api.paging.PageFaultException;
import org.astralisp.hal.api.paging.PageTable;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.hal.api.paging.ReservedEntryException;
import org.astralisp.hal.api.paging.Translation;
import org.astralisp.hal.api.paging.UnsupportedEntryException;
import org.astralisp.hal.api.paging.UnsupportedPermissionsException;
import org.astralisp.hal.api.paging.spi.TreePageTableFormat.UpperBits;
import org.astralisp.hal.api.paging.testing.ArenaPhysicalMemory;
import org.astralisp.hal.api.paging.testing.CountingFrameSource;
import org.astralisp.hal.api.paging.testing.ModelCheck;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The shared walk, on the toy format: RAM at 0x4000_0000, frames handed out from its start. The root
 * (512 bytes) takes slot 0 of the first frame; the 256-byte tables of levels 1 and 0 are carved from a
 * second frame, 16 to it.
 */
class TreePageTableTest {

    private static final long BASE = 0x4000_0000L;
    private static final long ROOT_FRAME = BASE;
    private static final long SMALL_FRAME = BASE + 0x1000;
    /** Root index 63, level-1 index 31, level-0 index 31: the last page. */
    private static final long LAST = 0x0FFF_F000L;
    private static final long DATA = 0x12_3456_7000L;
    private static final Permissions USER_DATA = Permissions.parse("rw-u-");

    private final ToyPageTableFormat format = new ToyPageTableFormat();
    private final ArenaPhysicalMemory ram = new ArenaPhysicalMemory(BASE, 1 << 20);
    private final CountingFrameSource frames = new CountingFrameSource(ram, 4096, BASE);
    private final PageTable table = format.create(ram, frames);

    @AfterEach
    void closeRam() {
        ram.close();
    }

    @Test
    void mapWritesEachLevelsEntryWhereTheWalkReadsIt() {
        table.map(LAST, DATA, USER_DATA);
        assertEquals(ROOT_FRAME, table.root());
        assertEquals(SMALL_FRAME | P | W | X | U, entry(ROOT_FRAME + 63 * 8));
        assertEquals((SMALL_FRAME + 0x100) | P | W | X | U, entry(SMALL_FRAME + 31 * 8));
        assertEquals(DATA | P | W | U, entry(SMALL_FRAME + 0x100 + 31 * 8));
        assertEquals(Optional.of(new Translation(DATA, USER_DATA, false, false)), table.translate(LAST));
        assertEquals(Optional.of(new Translation(DATA + 0xABC, USER_DATA, false, false)), table.translate(LAST + 0xABC));
        assertEquals(Optional.empty(), table.translate(LAST - 4096));
    }

    @Test
    void tablesSmallerThanAFrameShareIt() {
        table.map(LAST, DATA, USER_DATA);
        table.map(0, DATA, USER_DATA);
        assertEquals(SMALL_FRAME + 0x200 | P | W | X | U, entry(ROOT_FRAME));
        assertEquals(SMALL_FRAME + 0x300 | P | W | X | U, entry(SMALL_FRAME + 0x200));
        assertEquals(2, frames.outstanding());
    }

    @Test
    void unmapFreesTheTablesThatBecameEmptyAndKeepsTheOthers() {
        table.map(LAST, DATA, USER_DATA);
        table.map(LAST - 4096, DATA + 4096, USER_DATA);
        assertEquals(new Translation(DATA, USER_DATA, false, false), table.unmap(LAST));
        assertEquals(0, entry(SMALL_FRAME + 0x100 + 31 * 8));
        assertEquals(SMALL_FRAME | P | W | X | U, entry(ROOT_FRAME + 63 * 8));
        table.unmap(LAST - 4096);
        assertEquals(0, entry(ROOT_FRAME + 63 * 8));
        assertEquals(1, frames.outstanding());
    }

    @Test
    void runningOutOfFramesHalfWayKeepsNoNewTable() {
        CountingFrameSource two = new CountingFrameSource(ram, 4096, BASE + 0x10_0000 / 2, 2);
        PageTable small = format.create(ram, two);
        for (int i = 0; i < 7; i++) {
            small.map((long) i << 22, DATA, USER_DATA);
        }
        small.map(1L << 17, DATA, USER_DATA);
        long slotOfRoot8 = small.root() + 8 * 8;
        assertThrows(OutOfFramesException.class, () -> small.map(8L << 22, DATA, USER_DATA));
        assertEquals(0, entry(slotOfRoot8));
        assertEquals(2, two.outstanding());
        small.unmap(1L << 17);
        small.map(8L << 22 | 1L << 17, DATA, USER_DATA);
        assertEquals(Optional.of(new Translation(DATA, USER_DATA, false, false)), small.translate(8L << 22 | 1L << 17));
    }

    @Test
    void mappingAMappedPageNamesTheMappingThere() {
        table.map(LAST, DATA, USER_DATA);
        AlreadyMappedException e = assertThrows(AlreadyMappedException.class, () -> table.map(LAST, 0, USER_DATA));
        assertEquals(new Translation(DATA, USER_DATA, false, false), e.existing());
        assertEquals(LAST, e.virtualAddress());
        assertEquals("virtual page 0x000000000ffff000 is already mapped to 0x0000001234567000 rw-u-", e.getMessage());
    }

    @Test
    void operationsOnAnUnmappedPageNameIt() {
        table.map(LAST, DATA, USER_DATA);
        assertEquals("cannot unmap virtual page 0x000000000fffe000: it is not mapped",
                assertThrows(NotMappedException.class, () -> table.unmap(LAST - 4096)).getMessage());
        assertThrows(NotMappedException.class, () -> table.unmap(0));
        assertThrows(NotMappedException.class, () -> table.protect(0, USER_DATA));
        assertThrows(NotMappedException.class, () -> table.clearAccessed(0));
        assertEquals("cannot clear the dirty bit of virtual page 0x0000000000000000: it is not mapped",
                assertThrows(NotMappedException.class, () -> table.clearDirty(0)).getMessage());
    }

    @Test
    void refusesMisalignedAddresses() {
        MisalignedAddressException virtual = assertThrows(MisalignedAddressException.class, () -> table.map(0x1800, DATA, USER_DATA));
        assertEquals("virtual address 0x0000000000001800 is not aligned to the page size 4096", virtual.getMessage());
        MisalignedAddressException physical = assertThrows(MisalignedAddressException.class, () -> table.map(0x1000, DATA + 8, USER_DATA));
        assertEquals(DATA + 8, physical.address());
        assertEquals("physical address 0x0000001234567008 is not aligned to the page size 4096 (mapping virtual 0x0000000000001000)",
                physical.getMessage());
        assertThrows(MisalignedAddressException.class, () -> table.unmap(0x10));
        assertThrows(MisalignedAddressException.class, () -> table.protect(0x10, USER_DATA));
        assertThrows(MisalignedAddressException.class, () -> table.clearAccessed(0x10));
    }

    @Test
    void refusesAddressesOutOfRange() {
        AddressOutOfRangeException virtual = assertThrows(AddressOutOfRangeException.class, () -> table.map(1L << 28, DATA, USER_DATA));
        assertEquals("0x0000000010000000 is outside the 28-bit virtual addresses [0, 2^28)", virtual.getMessage());
        assertEquals(1L << 28, virtual.address());
        AddressOutOfRangeException physical = assertThrows(AddressOutOfRangeException.class, () -> table.map(0, 1L << 40, USER_DATA));
        assertEquals("0x0000010000000000 is outside the 40-bit physical addresses toy entries hold (mapping virtual 0x0000000000000000)",
                physical.getMessage());
        assertThrows(AddressOutOfRangeException.class, () -> table.translate(-1));
        assertThrows(AddressOutOfRangeException.class, () -> table.access(-1, Access.READ, Privilege.USER));
        assertThrows(AddressOutOfRangeException.class, () -> table.unmap(-4096));
    }

    @Test
    void refusesPermissionsTheEntriesCannotExpress() {
        Permissions writeOnly = Permissions.parse("-w---");
        UnsupportedPermissionsException e = assertThrows(UnsupportedPermissionsException.class, () -> table.map(0, DATA, writeOnly));
        assertEquals(writeOnly, e.permissions());
        assertEquals("toy cannot map 0x0000000000000000 -w---: toy pages are always readable", e.getMessage());
        assertEquals(1, frames.outstanding(), "frames after the refused map (the root's only)");
        table.map(0, DATA, USER_DATA);
        assertThrows(UnsupportedPermissionsException.class, () -> table.protect(0, writeOnly));
        assertEquals(Permissions.parse("rw-u-"), table.translate(0).orElseThrow().permissions());
    }

    @Test
    void accessSetsAccessedEverywhereAndDirtyOnWrite() {
        table.map(LAST, DATA, USER_DATA);
        Translation read = table.access(LAST + 8, Access.READ, Privilege.USER);
        assertEquals(new Translation(DATA + 8, USER_DATA, true, false), read);
        assertEquals(SMALL_FRAME | P | W | X | U | A, entry(ROOT_FRAME + 63 * 8));
        assertEquals(DATA | P | W | U | A, entry(SMALL_FRAME + 0x100 + 31 * 8));
        assertEquals(new Translation(DATA, USER_DATA, true, true), table.access(LAST, Access.WRITE, Privilege.USER));
        assertEquals(DATA | P | W | U | A | D, entry(SMALL_FRAME + 0x100 + 31 * 8));
    }

    @Test
    void aFaultNamesTheAccessAndChangesNothing() {
        PageFaultException unmapped = assertThrows(PageFaultException.class, () -> table.access(LAST, Access.READ, Privilege.SUPERVISOR));
        assertEquals("supervisor read at 0x000000000ffff000: not mapped", unmapped.getMessage());
        assertEquals(Optional.empty(), unmapped.mapping());
        table.map(LAST, DATA, USER_DATA);
        PageFaultException denied = assertThrows(PageFaultException.class, () -> table.access(LAST, Access.EXECUTE, Privilege.USER));
        assertEquals(Access.EXECUTE, denied.access());
        assertEquals(Privilege.USER, denied.privilege());
        assertEquals(Optional.of(new Translation(DATA, USER_DATA, false, false)), denied.mapping());
        assertEquals("user execute at 0x000000000ffff000: denied by mapping 0x0000001234567000 rw-u-", denied.getMessage());
        assertEquals(DATA | P | W | U, entry(SMALL_FRAME + 0x100 + 31 * 8));
        assertEquals(SMALL_FRAME | P | W | X | U, entry(ROOT_FRAME + 63 * 8));
    }

    @Test
    void directoriesLimitWhatIsBelowThem() {
        table.map(LAST, DATA, Permissions.parse("rwxu-"));
        setEntry(ROOT_FRAME + 63 * 8, SMALL_FRAME | P | U);
        assertEquals(Permissions.parse("r--u-"), table.translate(LAST).orElseThrow().permissions());
        assertThrows(PageFaultException.class, () -> table.access(LAST, Access.WRITE, Privilege.USER));
    }

    @Test
    void protectChangesOnlyThePermissions() {
        table.map(LAST, DATA, USER_DATA);
        table.access(LAST, Access.WRITE, Privilege.USER);
        table.protect(LAST, Permissions.parse("r-x-g"));
        assertEquals(Optional.of(new Translation(DATA, Permissions.parse("r-x-g"), true, true)), table.translate(LAST));
    }

    @Test
    void clearingABitReportsWhetherItWasSet() {
        table.map(LAST, DATA, USER_DATA);
        table.access(LAST, Access.WRITE, Privilege.USER);
        assertTrue(table.clearDirty(LAST));
        assertFalse(table.clearDirty(LAST));
        assertEquals(new Translation(DATA, USER_DATA, true, false), table.translate(LAST).orElseThrow());
        assertTrue(table.clearAccessed(LAST));
        assertFalse(table.clearAccessed(LAST));
        assertEquals(DATA | P | W | U, entry(SMALL_FRAME + 0x100 + 31 * 8));
    }

    @Test
    void aReservedBitInADirectoryStopsTheWalkAndIsNamed() {
        table.map(LAST, DATA, USER_DATA);
        long bad = (SMALL_FRAME + 0x100) | P | W | X | U | RESERVED;
        setEntry(SMALL_FRAME + 31 * 8, bad);
        ReservedEntryException e = assertThrows(ReservedEntryException.class, () -> table.translate(LAST));
        assertEquals(1, e.level());
        assertEquals(bad, e.entry());
        assertEquals(LAST, e.virtualAddress());
        assertEquals("reserved bit pattern in the L1 entry (level 1) for virtual address 0x000000000ffff000: entry "
                + "0x800000004000110f: bit 63 is reserved", e.getMessage());
        assertThrows(ReservedEntryException.class, () -> table.map(LAST - 4096, DATA, USER_DATA));
        assertThrows(ReservedEntryException.class, () -> table.unmap(LAST));
    }

    @Test
    void aReservedBitInALeafIsFoundByEveryOperationThatReadsIt() {
        table.map(LAST, DATA, USER_DATA);
        setEntry(SMALL_FRAME + 0x100 + 31 * 8, DATA | P | RESERVED);
        assertEquals(0, assertThrows(ReservedEntryException.class, () -> table.translate(LAST)).level());
        assertThrows(ReservedEntryException.class, () -> table.map(LAST, DATA, USER_DATA));
        assertThrows(ReservedEntryException.class, () -> table.unmap(LAST));
        assertThrows(ReservedEntryException.class, () -> table.protect(LAST, USER_DATA));
        assertThrows(ReservedEntryException.class, () -> table.clearDirty(LAST));
        assertThrows(ReservedEntryException.class, () -> table.access(LAST, Access.READ, Privilege.USER));
    }

    @Test
    void aLargeLeafAboveTheLastLevelIsNotFollowed() {
        setEntry(ROOT_FRAME, DATA | P | HUGE);
        UnsupportedEntryException e = assertThrows(UnsupportedEntryException.class, () -> table.translate(0));
        assertEquals(2, e.level());
        assertTrue(e.getMessage().endsWith("a 4 MiB leaf"), e.getMessage());
    }

    @Test
    void aDirectoryPointingOutsideRamIsNotFollowed() {
        setEntry(ROOT_FRAME, 0x10_0000_0000L | P);
        UnsupportedEntryException e = assertThrows(UnsupportedEntryException.class, () -> table.translate(0));
        assertTrue(e.getMessage().endsWith("the L1 table it points to at 0x1000000000 is not in RAM"), e.getMessage());
        setEntry(ROOT_FRAME, 0x1000 | P);
        assertThrows(UnsupportedEntryException.class, () -> table.translate(0));
    }

    @Test
    void releaseReturnsEveryFrameAndEndsTheTable() {
        table.map(LAST, DATA, USER_DATA);
        table.map(0, DATA, USER_DATA);
        table.release();
        assertEquals(0, frames.outstanding());
        assertTrue(table.toString().endsWith("(released)"), table.toString());
        assertThrows(IllegalStateException.class, () -> table.translate(0));
        assertThrows(IllegalStateException.class, () -> table.map(0, DATA, USER_DATA));
        assertThrows(IllegalStateException.class, table::release);
    }

    @Test
    void describesItselfAndItsRoot() {
        assertSame(format, table.format());
        assertEquals(ROOT_FRAME | 1, table.rootDescriptor());
        assertEquals("toy page table at 0x40000000", table.toString());
    }

    @Test
    void refusesAFrameSourceOfTheWrongFrameSize() {
        CountingFrameSource large = new CountingFrameSource(ram, 8192, BASE);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> format.create(ram, large));
        assertEquals("toy needs frames of 4096 bytes, the frame source hands out 8192", e.getMessage());
    }

    @Test
    void refusesAFrameThatIsMisalignedOrNotInRam() {
        assertThrows(IllegalStateException.class, () -> format.create(ram, fixed(BASE + 0x800)));
        IllegalStateException outside = assertThrows(IllegalStateException.class, () -> format.create(ram, fixed(BASE + (1 << 20))));
        assertEquals("the frame source handed out 0x40100000, which is not a 4096-byte aligned frame in RAM [0x40000000, 0x40100000)",
                outside.getMessage());
        assertThrows(IllegalStateException.class, () -> format.create(ram, fixed(0)));
    }

    @Test
    void agreesWithAMapModelOnRandomOperations() {
        new ModelCheck(format, 0x70A7_0001L).run(ram, BASE + 0x10000, 4000);
    }

    @Test
    void agreesWithAMapModelOnASignExtendedSpace() {
        new ModelCheck(new ToyPageTableFormat(UpperBits.SIGN_EXTENDED), 0x70A7_0002L).run(ram, BASE + 0x10000, 4000);
    }

    private static FrameSource fixed(long frame) {
        return new FrameSource() {
            @Override
            public int frameSize() {
                return 4096;
            }

            @Override
            public long allocate() {
                return frame;
            }

            @Override
            public void free(long f) {
                throw new AssertionError("nothing to free");
            }
        };
    }

    private long entry(long physical) {
        return ram.segment().get(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), physical - BASE);
    }

    private void setEntry(long physical, long value) {
        ram.segment().set(ValueLayout.JAVA_LONG_UNALIGNED.withOrder(java.nio.ByteOrder.LITTLE_ENDIAN), physical - BASE, value);
    }
}
