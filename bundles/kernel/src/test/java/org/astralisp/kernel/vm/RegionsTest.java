package org.astralisp.kernel.vm;

import static org.astralisp.kernel.vm.CopyOnWriteTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.kernel.api.vm.InvalidMappingException;
import org.astralisp.kernel.api.vm.MisalignedRangeException;
import org.astralisp.kernel.api.vm.OverlappingMappingException;
import org.astralisp.kernel.api.vm.RangeNotMappedException;
import org.astralisp.kernel.api.vm.RangeOutOfBoundsException;
import org.astralisp.kernel.api.vm.Region;
import org.astralisp.kernel.api.vm.SegmentationFaultException;
import org.astralisp.kernel.api.vm.SharedMemory;
import org.astralisp.kernel.api.vm.UnsupportedRegionPermissionsException;
import org.astralisp.kernel.api.vm.VirtualRange;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RegionsTest {

    private static final Permissions RW = Permissions.parse("rw-u-");
    private static final Permissions RO = Permissions.parse("r--u-");
    private static final Permissions NONE = Permissions.parse("---u-");

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void unmappingTheMiddleSplitsTheRegionAndFreesOnlyThoseFrames(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), 4L * vm.pageSize, RW, Backing.anonymous());
            space.write(0, vm.base(), new byte[4 * vm.pageSize], Privilege.USER);
            long free = vm.freeFrames();

            space.unmap(vm.page(1), 2L * vm.pageSize);

            assertEquals(List.of(region(vm, 0, 1, RW), region(vm, 3, 4, RW)), space.regions());
            assertEquals(free + 2, vm.freeFrames(), "two data frames back (their table stays: pages 0 and 3 use it)");
            assertEquals(2, space.statistics().residentPages());
            assertTrue(space.entry(vm.page(1)).isEmpty());
            assertTrue(space.entry(vm.page(0)).isPresent());
            assertEquals(SegmentationFaultException.Reason.NOT_MAPPED, assertThrows(SegmentationFaultException.class,
                    () -> space.read(0, vm.page(2), 1, Privilege.USER)).reason());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void protectingPartOfARegionSplitsItAndChangesTheResidentEntries(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), 4L * vm.pageSize, RW, Backing.anonymous());
            space.write(0, vm.page(2), bytes("data"), Privilege.USER);

            space.protect(vm.page(2), vm.pageSize, RO);

            assertEquals(List.of(region(vm, 0, 2, RW), region(vm, 2, 3, RO), region(vm, 3, 4, RW)), space.regions());
            assertFalse(space.entry(vm.page(2)).orElseThrow().permissions().write());
            assertArrayEquals(bytes("data"), space.read(0, vm.page(2), 4, Privilege.USER));
            assertEquals(SegmentationFaultException.Reason.NOT_WRITABLE, assertThrows(SegmentationFaultException.class,
                    () -> space.write(0, vm.page(2), bytes("x"), Privilege.USER)).reason());
            space.write(0, vm.page(3), bytes("y"), Privilege.USER);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void noAccessTakesPagesOutOfTheTableAndKeepsTheirContents(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), 2L * vm.pageSize, RW, Backing.anonymous());
            space.write(0, vm.page(0), bytes("guarded"), Privilege.USER);
            long free = vm.freeFrames();

            space.protect(vm.base(), 2L * vm.pageSize, NONE);

            assertTrue(space.entry(vm.page(0)).isEmpty());
            assertEquals(SegmentationFaultException.Reason.NOT_READABLE, assertThrows(SegmentationFaultException.class,
                    () -> space.read(0, vm.page(0), 1, Privilege.USER)).reason());
            space.protect(vm.base(), 2L * vm.pageSize, RW);
            assertArrayEquals(bytes("guarded"), space.read(0, vm.page(0), 7, Privilege.USER));
            assertEquals(1, space.statistics().demandZeroPages(), "the frame was kept, not refilled");
            assertTrue(vm.freeFrames() <= free, "nothing freed");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void unmapAndProtectSpanSeveralRegions(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.page(0), 2L * vm.pageSize, RW, Backing.anonymous());
            space.map(vm.page(2), 2L * vm.pageSize, RO, Backing.anonymous());
            space.map(vm.page(4), 2L * vm.pageSize, RW, Backing.anonymous());

            space.protect(vm.page(1), 4L * vm.pageSize, RO);
            space.unmap(vm.page(1), 2L * vm.pageSize);

            assertEquals(List.of(region(vm, 0, 1, RW), region(vm, 3, 4, RO), region(vm, 4, 5, RO), region(vm, 5, 6, RW)),
                    space.regions());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void splittingASharedRegionKeepsEachPieceOnItsOffset(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            SharedMemory memory = vm.vmm.createSharedMemory(4L * vm.pageSize);
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), 4L * vm.pageSize, RW, Backing.shared(memory, 0));
            memory.close();

            space.protect(vm.page(1), vm.pageSize, RO);
            space.write(0, vm.page(2), bytes("two"), Privilege.USER);
            space.unmap(vm.page(0), vm.pageSize);

            assertEquals(List.of(
                    new Region(VirtualRange.between(vm.page(1), vm.page(2)), RO, Backing.shared(memory, vm.pageSize)),
                    new Region(VirtualRange.between(vm.page(2), vm.page(4)), RW, Backing.shared(memory, 2L * vm.pageSize))),
                    space.regions());
            assertEquals(1, memory.residentPages(), "the object lives while a piece maps it");
            space.unmap(vm.page(1), 3L * vm.pageSize);
            assertEquals(0, memory.residentPages(), "the last piece unmapped freed it");
        }
    }

    @Test
    void misalignedRequestsAreRefusedNamingTheRange() {
        try (Vm vm = Vm.on(Architecture.X86_64)) {
            PagedAddressSpace space = vm.space();

            assertRefused(MisalignedRangeException.class, "cannot map [0x0000000000400800, 0x0000000000401800): its start "
                    + "is not a multiple of the page size 4096", () -> space.map(0x40_0800, 0x1000, RW, Backing.anonymous()));
            assertRefused(MisalignedRangeException.class, "cannot unmap [0x0000000000400000, 0x0000000000400010): its "
                    + "length 0x10 is not a multiple of the page size 4096", () -> space.unmap(0x40_0000, 0x10));
            assertRefused(RangeOutOfBoundsException.class, "cannot protect 0x0000000000400000 length 0x0: it is empty",
                    () -> space.protect(0x40_0000, 0, RO));
            assertRefused(RangeOutOfBoundsException.class, "cannot map 0x0000000000400000 length 0xfffffffffffff000: "
                    + "its length is negative", () -> space.map(0x40_0000, -0x1000, RW, Backing.anonymous()));
            assertTrue(space.regions().isEmpty());
        }
    }

    @Test
    void aRangeOnASixtyFourKibibytePageMachineMustBeAlignedToSixtyFourKibibytes() {
        try (Vm vm = Vm.on(Architecture.PPC64)) {
            PagedAddressSpace space = vm.space();

            assertRefused(MisalignedRangeException.class, "cannot map [0x0000000000401000, 0x0000000000411000): its start "
                    + "is not a multiple of the page size 65536", () -> space.map(0x40_1000, 0x10000, RW, Backing.anonymous()));
        }
    }

    @Test
    void addressesBeyondEachFormatsVirtualAddressSizeAreRefused() {
        try (Vm x86 = Vm.on(Architecture.X86_64); Vm riscv = Vm.on(Architecture.RISCV64); Vm ppc = Vm.on(Architecture.PPC64)) {
            assertRefused(RangeOutOfBoundsException.class, "cannot map [0x00007ffffffff000, 0x0000800000001000): it is not "
                    + "all within the 48-bit virtual addresses x86-64 4-level translates",
                    () -> x86.space().map(0x7FFF_FFFF_F000L, 0x2000, RW, Backing.anonymous()));
            assertRefused(RangeOutOfBoundsException.class, "cannot map [0x0000800000000000, 0x0000800000001000): it is not "
                    + "all within the 48-bit virtual addresses x86-64 4-level translates",
                    () -> x86.space().map(0x8000_0000_0000L, 0x1000, RW, Backing.anonymous()));
            assertRefused(RangeOutOfBoundsException.class, "cannot map [0x0000003ffffff000, 0x0000004000001000): it is not "
                    + "all within the 39-bit virtual addresses Sv39 translates",
                    () -> riscv.space().map(0x3F_FFFF_F000L, 0x2000, RW, Backing.anonymous()));
            assertRefused(RangeOutOfBoundsException.class, "cannot map [0x0010000000000000, 0x0010000000010000): it is not "
                    + "all within the 52-bit virtual addresses radix 64K translates",
                    () -> ppc.space().map(1L << 52, 0x10000, RW, Backing.anonymous()));
            assertRefused(RangeOutOfBoundsException.class, "cannot unmap 0xfffffffffffff000 length 0x2000: it wraps past "
                    + "the last address", () -> x86.space().unmap(0xFFFF_FFFF_FFFF_F000L, 0x2000));
        }
    }

    @Test
    void theTopPageOfTheCanonicalHigherHalfCanBeMapped() {
        try (Vm vm = Vm.on(Architecture.X86_64)) {
            PagedAddressSpace space = vm.space();
            space.map(0xFFFF_FFFF_FFFF_F000L, 0x1000, Permissions.parse("rw---"), Backing.anonymous());

            space.write(0, 0xFFFF_FFFF_FFFF_FFFCL, bytes("top!"), Privilege.SUPERVISOR);

            assertArrayEquals(bytes("top!"), space.read(0, 0xFFFF_FFFF_FFFF_FFFCL, 4, Privilege.SUPERVISOR));
            assertEquals("[0xfffffffffffff000, 2^64) rw--- anonymous", space.regions().getFirst().toString());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void anOverlappingMapIsRefusedNamingTheRegionItOverlaps(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.page(2), 2L * vm.pageSize, RW, Backing.anonymous());
            List<Region> before = space.regions();

            OverlappingMappingException e = assertThrows(OverlappingMappingException.class,
                    () -> space.map(vm.page(0), 3L * vm.pageSize, RO, Backing.anonymous()));

            assertEquals("cannot map " + VirtualRange.between(vm.page(0), vm.page(3)) + ": it overlaps the region "
                    + before.getFirst(), e.getMessage());
            assertEquals(before.getFirst(), e.existing());
            assertThrows(OverlappingMappingException.class, () -> space.map(vm.page(3), 4L * vm.pageSize, RO, Backing.anonymous()));
            assertEquals(before, space.regions());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void unmappingOrProtectingAHoleIsRefusedAndChangesNothing(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.page(0), vm.pageSize, RW, Backing.anonymous());
            space.map(vm.page(3), vm.pageSize, RW, Backing.anonymous());
            space.write(0, vm.page(0), bytes("kept"), Privilege.USER);
            List<Region> before = space.regions();

            RangeNotMappedException e = assertThrows(RangeNotMappedException.class,
                    () -> space.unmap(vm.page(0), 4L * vm.pageSize));
            RangeNotMappedException nothing = assertThrows(RangeNotMappedException.class,
                    () -> space.protect(vm.page(5), vm.pageSize, RO));

            assertEquals("cannot unmap " + VirtualRange.between(vm.page(0), vm.page(4)) + ": "
                    + VirtualRange.between(vm.page(1), vm.page(3)) + " in it is not mapped", e.getMessage());
            assertEquals(VirtualRange.between(vm.page(1), vm.page(3)), e.hole());
            assertEquals("cannot protect " + VirtualRange.between(vm.page(5), vm.page(6)) + ": "
                    + VirtualRange.between(vm.page(5), vm.page(6)) + " is not mapped", nothing.getMessage());
            assertEquals(before, space.regions());
            assertArrayEquals(bytes("kept"), space.read(0, vm.page(0), 4, Privilege.USER));
            assertThrows(RangeNotMappedException.class, () -> space.unmap(vm.page(2), 3L * vm.pageSize));
            assertEquals(before, space.regions());
        }
    }

    @Test
    void permissionsTheFormatCannotExpressAreRefusedButNoAccessIsAlwaysAccepted() {
        try (Vm x86 = Vm.on(Architecture.X86_64); Vm riscv = Vm.on(Architecture.RISCV64); Vm ppc = Vm.on(Architecture.PPC64)) {
            assertRefused(UnsupportedRegionPermissionsException.class, "cannot map [0x0000000000400000, "
                    + "0x0000000000401000): x86-64 4-level page-table entries cannot express --xu- (read-only, read-write, "
                    + "execute and no access can be)",
                    () -> x86.space().map(0x40_0000, 0x1000, Permissions.parse("--xu-"), Backing.anonymous()));
            PagedAddressSpace space = riscv.space();
            space.map(0x40_0000, 0x1000, RW, Backing.anonymous());
            UnsupportedRegionPermissionsException e = assertThrows(UnsupportedRegionPermissionsException.class,
                    () -> space.protect(0x40_0000, 0x1000, Permissions.parse("-w-u-")));
            assertEquals(Permissions.parse("-w-u-"), e.permissions());
            assertEquals("protect", e.operation());
            assertEquals(RW, space.regions().getFirst().permissions());
            assertThrows(UnsupportedRegionPermissionsException.class,
                    () -> ppc.space().map(0x40_0000, 0x10000, Permissions.parse("rw-ug"), Backing.anonymous()));

            space.protect(0x40_0000, 0x1000, NONE);
            x86.space().map(0x40_0000, 0x1000, NONE, Backing.anonymous());
            assertEquals(NONE, space.regions().getFirst().permissions());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aDestroyedSpaceRefusesEverything(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.destroy();

            String message = "address space " + space.id() + " is destroyed";
            assertEquals(message, assertThrows(IllegalStateException.class, space::destroy).getMessage());
            assertThrows(IllegalStateException.class, () -> space.map(vm.base(), vm.pageSize, RW, Backing.anonymous()));
            assertThrows(IllegalStateException.class, () -> space.read(0, vm.base(), 1, Privilege.USER));
            assertThrows(IllegalStateException.class, space::regions);
            assertThrows(IllegalStateException.class, space::clone);
        }
    }

    @Test
    void aRangeRecordRefusesAnEmptyOrWrappingRange() {
        assertEquals("not a virtual range: start 0x0000000000001000 length 0x0",
                assertThrows(IllegalArgumentException.class, () -> new VirtualRange(0x1000, 0)).getMessage());
        assertThrows(IllegalArgumentException.class, () -> new VirtualRange(-0x1000, 0x2000));
        VirtualRange range = new VirtualRange(0x1000, 0x2000);
        assertTrue(range.contains(0x2FFF));
        assertFalse(range.contains(0x3000));
        assertFalse(range.contains(0xFFF));
        assertEquals(0x2FFF, range.last());
    }

    private static Region region(Vm vm, int first, int end, Permissions permissions) {
        return new Region(VirtualRange.between(vm.page(first), vm.page(end)), permissions, Backing.anonymous());
    }

    private static void assertRefused(Class<? extends InvalidMappingException> type, String message,
            org.junit.jupiter.api.function.Executable request) {
        assertEquals(message, assertThrows(type, request).getMessage());
    }
}
