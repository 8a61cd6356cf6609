package org.astralisp.kernel.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.astralisp.hal.api.paging.Access;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.hal.api.paging.Translation;
import org.astralisp.kernel.api.vm.AddressSpaceStatistics;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DemandZeroTest {

    private static final Permissions USER_DATA = Permissions.parse("rw-u-");

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void mappingAllocatesNoFrameAndPutsNothingInThePageTable(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            long free = vm.freeFrames();

            space.map(vm.base(), 64L * vm.pageSize, USER_DATA, Backing.anonymous());

            assertEquals(free, vm.freeFrames());
            assertEquals(0, space.statistics().residentPages());
            assertTrue(space.entry(vm.page(0)).isEmpty());
            assertTrue(space.entry(vm.page(63)).isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void firstTouchGivesAZeroedFrameEvenWhenThePmmHandsOutADirtyOne(Architecture architecture) throws Exception {
        try (Vm vm = Vm.on(architecture)) {
            long dirty = vm.pmm.allocate(0);
            vm.machine.memory().slice(dirty, vm.pageSize).fill((byte) 0x5a);
            vm.pmm.free(dirty, 0);
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), 4L * vm.pageSize, USER_DATA, Backing.anonymous());
            long free = vm.freeFrames();

            byte[] bytes = space.read(0, vm.page(1) + 8, 32, Privilege.USER);

            assertArrayEquals(new byte[32], bytes);
            AddressSpaceStatistics statistics = space.statistics();
            assertEquals(1, statistics.residentPages());
            assertEquals(1, statistics.demandZeroPages());
            assertEquals(1, statistics.pageFaults());
            assertTrue(vm.freeFrames() < free, "a data frame (and the tables down to it) came from the PMM");
            assertTrue(space.entry(vm.page(0)).isEmpty(), "only the touched page is in the page table");
            assertTrue(space.entry(vm.page(2)).isEmpty());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aSecondTouchOfThePageNeitherFaultsNorAllocates(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), 4L * vm.pageSize, USER_DATA, Backing.anonymous());
            space.write(0, vm.page(0), new byte[] {1}, Privilege.USER);
            long free = vm.freeFrames();

            space.write(0, vm.page(0) + 100, new byte[] {2}, Privilege.USER);
            space.read(0, vm.page(0) + vm.pageSize - 1, 1, Privilege.USER);

            assertEquals(free, vm.freeFrames());
            assertEquals(1, space.statistics().pageFaults());
            assertEquals(1, space.statistics().residentPages());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void bytesWrittenAcrossPagesReadBackAndLandInTheMappedFrames(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), 4L * vm.pageSize, USER_DATA, Backing.anonymous());
            byte[] data = new byte[2 * vm.pageSize + 10];
            Arrays.setAll(new int[data.length], i -> data[i] = (byte) (i * 7 + 3));
            long start = vm.page(0) + vm.pageSize - 5;

            space.write(0, start, data, Privilege.USER);

            assertArrayEquals(data, space.read(0, start, data.length, Privilege.USER));
            assertEquals(4, space.statistics().residentPages());
            long physical = space.access(0, vm.page(1), Access.READ, Privilege.USER);
            assertEquals(space.entry(vm.page(1)).orElseThrow().physical(), physical);
            assertEquals(data[5], vm.machine.memory().slice(physical, 1).get(java.lang.foreign.ValueLayout.JAVA_BYTE, 0));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void accessesSetTheAccessedAndDirtyBitsInThePageTableEntry(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), 2L * vm.pageSize, USER_DATA, Backing.anonymous());

            space.read(0, vm.page(0), 1, Privilege.USER);
            Translation read = space.entry(vm.page(0)).orElseThrow();
            space.write(0, vm.page(0), new byte[1], Privilege.USER);
            Translation written = space.entry(vm.page(0)).orElseThrow();

            assertTrue(read.accessed());
            assertFalse(read.dirty(), "a read leaves D clear");
            assertTrue(written.dirty(), "the write through the TLB entry without D went to the table to set D");
            assertEquals(read.physical(), written.physical());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void theAccessReturnsThePhysicalAddressOfTheByte(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), vm.pageSize, Permissions.parse("r-x--"), Backing.anonymous());

            long physical = space.access(0, vm.page(0) + 0x123, Access.EXECUTE, Privilege.SUPERVISOR);

            assertEquals(space.entry(vm.page(0)).orElseThrow().physical() + 0x123, physical);
            assertEquals(0, (physical - 0x123) % vm.pageSize);
        }
    }
}
