package org.astralisp.kernel.vm;

import static org.astralisp.kernel.vm.CopyOnWriteTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.kernel.api.vm.MisalignedRangeException;
import org.astralisp.kernel.api.vm.RangeOutOfBoundsException;
import org.astralisp.kernel.api.vm.SharedMemory;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class SharedMemoryTest {

    private static final Permissions USER_DATA = Permissions.parse("rw-u-");

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aWriteInOneSpaceIsVisibleInAnotherThroughTheSameFrame(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            SharedMemory memory = vm.vmm.createSharedMemory(4L * vm.pageSize);
            PagedAddressSpace a = vm.space();
            PagedAddressSpace b = vm.space();
            a.map(vm.base(), 4L * vm.pageSize, USER_DATA, Backing.shared(memory, 0));
            b.map(vm.page(10), 2L * vm.pageSize, USER_DATA, Backing.shared(memory, 2L * vm.pageSize));

            a.write(0, vm.page(3) + 16, bytes("hello"), Privilege.USER);

            assertArrayEquals(bytes("hello"), b.read(0, vm.page(11) + 16, 5, Privilege.USER));
            assertEquals(a.entry(vm.page(3)).orElseThrow().physical(), b.entry(vm.page(11)).orElseThrow().physical());
            assertEquals(1, memory.residentPages());
            assertEquals(0, a.statistics().demandZeroPages(), "shared pages are the object's, not the space's");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aCloneKeepsSharingWhileItsPrivatePagesAreCopied(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            SharedMemory memory = vm.vmm.createSharedMemory(vm.pageSize);
            PagedAddressSpace parent = vm.space();
            parent.map(vm.page(0), vm.pageSize, USER_DATA, Backing.shared(memory, 0));
            parent.map(vm.page(1), vm.pageSize, USER_DATA, Backing.anonymous());
            parent.write(0, vm.page(0), bytes("s"), Privilege.USER);
            parent.write(0, vm.page(1), bytes("p"), Privilege.USER);
            PagedAddressSpace child = (PagedAddressSpace) parent.clone();

            child.write(0, vm.page(0), bytes("S"), Privilege.USER);
            child.write(0, vm.page(1), bytes("P"), Privilege.USER);

            assertArrayEquals(bytes("S"), parent.read(0, vm.page(0), 1, Privilege.USER));
            assertArrayEquals(bytes("p"), parent.read(0, vm.page(1), 1, Privilege.USER));
            assertEquals(1, child.statistics().copyOnWriteCopies(), "only the private page was copied");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void theFramesGoBackWhenTheHandleIsClosedAndTheLastRegionUnmapped(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            long free = vm.freeFrames();
            SharedMemory memory = vm.vmm.createSharedMemory(4L * vm.pageSize);
            PagedAddressSpace a = vm.space();
            PagedAddressSpace b = vm.space();
            a.map(vm.base(), 4L * vm.pageSize, USER_DATA, Backing.shared(memory, 0));
            b.map(vm.base(), 4L * vm.pageSize, USER_DATA, Backing.shared(memory, 0));
            a.write(0, vm.base(), new byte[4 * vm.pageSize], Privilege.USER);
            a.unmap(vm.page(1), vm.pageSize);
            memory.close();
            a.destroy();

            assertEquals(4, memory.residentPages(), "b still maps it");
            assertArrayEquals(new byte[8], b.read(0, vm.page(2), 8, Privilege.USER));

            b.destroy();

            assertEquals(0, memory.residentPages());
            assertEquals(free, vm.freeFrames());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aClosedObjectCannotBeMappedAgain(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            SharedMemory memory = vm.vmm.createSharedMemory(vm.pageSize);
            PagedAddressSpace space = vm.space();
            memory.close();

            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> space.map(vm.base(), vm.pageSize, USER_DATA, Backing.shared(memory, 0)));

            assertEquals(memory + " is closed: it can no longer be mapped", e.getMessage());
            assertTrue(space.regions().isEmpty());
            assertEquals("shared memory 1 (0x%x bytes) is already closed".formatted(vm.pageSize),
                    assertThrows(IllegalStateException.class, memory::close).getMessage());
        }
    }

    @Test
    void aMappingMustStayInsideTheObjectAtAnAlignedOffset() {
        try (Vm vm = Vm.on(Architecture.X86_64)) {
            SharedMemory memory = vm.vmm.createSharedMemory(0x4000);
            PagedAddressSpace space = vm.space();

            assertEquals("cannot map [0x0000000000400000, 0x0000000000402000): at offset 0x3000 it runs past the end "
                    + "of shared memory 1 (0x4000 bytes)", assertThrows(RangeOutOfBoundsException.class,
                            () -> space.map(0x40_0000, 0x2000, USER_DATA, Backing.shared(memory, 0x3000))).getMessage());
            assertEquals("cannot map [0x0000000000400000, 0x0000000000401000): the offset 0x800 into shared memory 1 "
                    + "(0x4000 bytes) is not a multiple of the page size 4096", assertThrows(MisalignedRangeException.class,
                            () -> space.map(0x40_0000, 0x1000, USER_DATA, Backing.shared(memory, 0x800))).getMessage());
            assertThrows(RangeOutOfBoundsException.class,
                    () -> space.map(0x40_0000, 0x1000, USER_DATA, Backing.shared(memory, -0x1000)));
            assertTrue(space.regions().isEmpty());
        }
    }

    @Test
    void anObjectOfAnotherManagerOrOfABadSizeIsRefused() {
        try (Vm vm = Vm.on(Architecture.RISCV64); Vm other = Vm.on(Architecture.RISCV64)) {
            SharedMemory foreign = other.vmm.createSharedMemory(0x1000);
            PagedAddressSpace space = vm.space();

            assertEquals("shared memory 1 (0x1000 bytes) is not shared memory of this virtual memory manager",
                    assertThrows(IllegalArgumentException.class,
                            () -> space.map(0x40_0000, 0x1000, USER_DATA, Backing.shared(foreign, 0))).getMessage());
            assertEquals("shared memory of 0x1800 bytes: the size must be a positive multiple of the page size 4096",
                    assertThrows(IllegalArgumentException.class, () -> vm.vmm.createSharedMemory(0x1800)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> vm.vmm.createSharedMemory(0));
            assertEquals("shared memory of 0x8001000 bytes: more than the 32768 frames of RAM the PMM manages",
                    assertThrows(IllegalArgumentException.class, () -> vm.vmm.createSharedMemory(0x800_1000)).getMessage());
            assertEquals(0x800_0000, vm.vmm.createSharedMemory(0x800_0000).size());
            assertEquals("shared backing without a shared memory object",
                    assertThrows(IllegalArgumentException.class, () -> Backing.shared(null, 0)).getMessage());
        }
    }
}
