package org.astralisp.kernel.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.astralisp.hal.api.paging.Access;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.kernel.api.vm.AddressSpaceStatistics;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.kernel.api.vm.SegmentationFaultException;
import org.astralisp.kernel.api.vm.SegmentationFaultException.Reason;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SegmentationFaultTest {

    @Test
    void everyReasonHasItsMessageNamingTheAccessAddressAndRegion() {
        try (Vm vm = Vm.on(Architecture.X86_64)) {
            PagedAddressSpace space = vm.space();
            space.map(0x40_0000, 0x1000, Permissions.parse("r-xu-"), Backing.anonymous());
            space.map(0x50_0000, 0x1000, Permissions.parse("rw-u-"), Backing.anonymous());
            space.map(0x60_0000, 0x1000, Permissions.parse("rw---"), Backing.anonymous());
            space.map(0x70_0000, 0x1000, Permissions.parse("---u-"), Backing.anonymous());

            assertFault(space, 0x80_0010, Access.READ, Privilege.USER, Reason.NOT_MAPPED,
                    "segmentation fault: user read at 0x0000000000800010: no mapping: no region contains it");
            assertFault(space, 0x40_0008, Access.WRITE, Privilege.USER, Reason.NOT_WRITABLE,
                    "segmentation fault: user write at 0x0000000000400008: not writable: region "
                            + "[0x0000000000400000, 0x0000000000401000) r-xu- anonymous");
            assertFault(space, 0x50_0004, Access.EXECUTE, Privilege.USER, Reason.NOT_EXECUTABLE,
                    "segmentation fault: user execute at 0x0000000000500004: not executable: region "
                            + "[0x0000000000500000, 0x0000000000501000) rw-u- anonymous");
            assertFault(space, 0x70_0000, Access.READ, Privilege.USER, Reason.NOT_READABLE,
                    "segmentation fault: user read at 0x0000000000700000: not readable: region "
                            + "[0x0000000000700000, 0x0000000000701000) ---u- anonymous");
            assertFault(space, 0x60_0ff8, Access.READ, Privilege.USER, Reason.SUPERVISOR_ONLY,
                    "segmentation fault: user read at 0x0000000000600ff8: supervisor-only: region "
                            + "[0x0000000000600000, 0x0000000000601000) rw--- anonymous");
            assertFault(space, 0x50_0000, Access.WRITE, Privilege.SUPERVISOR, Reason.USER_ONLY,
                    "segmentation fault: supervisor write at 0x0000000000500000: user page: region "
                            + "[0x0000000000500000, 0x0000000000501000) rw-u- anonymous");
            assertFault(space, 0x8000_0000_0000L, Access.READ, Privilege.SUPERVISOR, Reason.OUTSIDE_ADDRESS_SPACE,
                    "segmentation fault: supervisor read at 0x0000800000000000: outside the address space: it is not one "
                            + "of the 48-bit virtual addresses x86-64 4-level translates");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aRefusedAccessAllocatesNothingAndIsCounted(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), vm.pageSize, Permissions.parse("r--u-"), Backing.anonymous());
            long free = vm.freeFrames();

            SegmentationFaultException e = assertThrows(SegmentationFaultException.class,
                    () -> space.write(0, vm.base() + 1, new byte[] {1}, Privilege.USER));

            assertEquals(vm.base() + 1, e.address());
            assertEquals(Access.WRITE, e.access());
            assertEquals(Privilege.USER, e.privilege());
            assertEquals(Reason.NOT_WRITABLE, e.reason());
            assertEquals(free, vm.freeFrames());
            assertEquals(new AddressSpaceStatistics(0, 1, 0, 0, 0, 1), space.statistics());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aReadAcrossTheEndOfARegionFaultsAtTheFirstByteOutside(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), vm.pageSize, Permissions.parse("rw-u-"), Backing.anonymous());

            SegmentationFaultException e = assertThrows(SegmentationFaultException.class,
                    () -> space.read(0, vm.base() + vm.pageSize - 2, 4, Privilege.USER));

            assertEquals(vm.page(1), e.address());
            assertEquals(Reason.NOT_MAPPED, e.reason());
        }
    }

    @Test
    void aCpuThatDoesNotExistAndANegativeLengthAreRefused() {
        try (Vm vm = Vm.on(Architecture.RISCV64)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), vm.pageSize, Permissions.parse("rw-u-"), Backing.anonymous());

            assertEquals("no CPU 1: CPUs are 0..0", assertThrows(IllegalArgumentException.class,
                    () -> space.read(1, vm.base(), 1, Privilege.USER)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> space.access(-1, vm.base(), Access.READ, Privilege.USER));
            assertEquals("cannot read -1 bytes", assertThrows(IllegalArgumentException.class,
                    () -> space.read(0, vm.base(), -1, Privilege.USER)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> vm.vmm.tlbStatistics(2));
        }
    }

    private static void assertFault(PagedAddressSpace space, long address, Access access, Privilege privilege,
            Reason reason, String message) {
        SegmentationFaultException e = assertThrows(SegmentationFaultException.class,
                () -> space.access(0, address, access, privilege));
        assertEquals(reason, e.reason());
        assertEquals(message, e.getMessage());
    }
}
