package org.astralisp.kernel.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.hal.api.paging.Translation;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class CopyOnWriteTest {

    private static final Permissions USER_DATA = Permissions.parse("rw-u-");

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aCloneSharesThePrivateFramesWriteProtectedInBothTables(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace parent = vm.space();
            parent.map(vm.base(), 4L * vm.pageSize, USER_DATA, Backing.anonymous());
            parent.write(0, vm.page(0), bytes("parent"), Privilege.USER);
            long free = vm.freeFrames();

            PagedAddressSpace child = (PagedAddressSpace) parent.clone();

            Translation inParent = parent.entry(vm.page(0)).orElseThrow();
            Translation inChild = child.entry(vm.page(0)).orElseThrow();
            assertEquals(inParent.physical(), inChild.physical(), "one frame for both");
            assertFalse(inParent.permissions().write());
            assertFalse(inChild.permissions().write());
            assertEquals(parent.regions(), child.regions());
            assertEquals(1, child.statistics().residentPages());
            assertArrayEquals(bytes("parent"), child.read(0, vm.page(0), 6, Privilege.USER));
            assertTrue(child.entry(vm.page(1)).isEmpty(), "an untouched page stays untouched in the clone");
            assertTrue(vm.freeFrames() < free, "the clone's page table took frames");
            assertEquals(0, child.statistics().copyOnWriteCopies(), "reading copies nothing");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aWriteAfterTheCloneCopiesTheFrameAndStaysInvisibleToTheOtherSpace(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace parent = vm.space();
            parent.map(vm.base(), 4L * vm.pageSize, USER_DATA, Backing.anonymous());
            parent.write(0, vm.page(0), bytes("before"), Privilege.USER);
            PagedAddressSpace child = (PagedAddressSpace) parent.clone();
            long shared = parent.entry(vm.page(0)).orElseThrow().physical();
            long free = vm.freeFrames();

            child.write(0, vm.page(0), bytes("child!"), Privilege.USER);

            assertEquals(free - 1, vm.freeFrames(), "exactly one frame copied");
            assertEquals(1, child.statistics().copyOnWriteCopies());
            assertArrayEquals(bytes("child!"), child.read(0, vm.page(0), 6, Privilege.USER));
            assertArrayEquals(bytes("before"), parent.read(0, vm.page(0), 6, Privilege.USER));
            Translation inChild = child.entry(vm.page(0)).orElseThrow();
            assertNotEquals(shared, inChild.physical());
            assertTrue(inChild.permissions().write());
            assertTrue(inChild.dirty());
            assertEquals(shared, parent.entry(vm.page(0)).orElseThrow().physical());

            parent.write(0, vm.page(0) + 2, bytes("XX"), Privilege.USER);

            assertArrayEquals(bytes("beXXre"), parent.read(0, vm.page(0), 6, Privilege.USER));
            assertArrayEquals(bytes("child!"), child.read(0, vm.page(0), 6, Privilege.USER));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void theLastReferenceTakesTheFrameOverWithoutCopying(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace parent = vm.space();
            parent.map(vm.base(), vm.pageSize, USER_DATA, Backing.anonymous());
            parent.write(0, vm.page(0), bytes("one"), Privilege.USER);
            PagedAddressSpace child = (PagedAddressSpace) parent.clone();
            long shared = parent.entry(vm.page(0)).orElseThrow().physical();
            child.write(0, vm.page(0), bytes("two"), Privilege.USER);
            long free = vm.freeFrames();

            parent.write(0, vm.page(0), bytes("1"), Privilege.USER);

            assertEquals(free, vm.freeFrames(), "no copy: the child's copy left the parent the only reference");
            assertEquals(0, parent.statistics().copyOnWriteCopies());
            assertEquals(1, parent.statistics().copyOnWriteReuses());
            Translation entry = parent.entry(vm.page(0)).orElseThrow();
            assertEquals(shared, entry.physical());
            assertTrue(entry.permissions().write());
            assertArrayEquals(bytes("1ne"), parent.read(0, vm.page(0), 3, Privilege.USER));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void destroyingTheCloneLeavesTheParentTheOwnerOfItsFrames(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace parent = vm.space();
            parent.map(vm.base(), vm.pageSize, USER_DATA, Backing.anonymous());
            parent.write(0, vm.page(0), bytes("kept"), Privilege.USER);
            long free = vm.freeFrames();
            PagedAddressSpace child = (PagedAddressSpace) parent.clone();

            child.destroy();
            parent.write(0, vm.page(0), bytes("K"), Privilege.USER);

            assertEquals(free, vm.freeFrames());
            assertEquals(1, parent.statistics().copyOnWriteReuses());
            assertArrayEquals(bytes("Kept"), parent.read(0, vm.page(0), 4, Privilege.USER));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aCloneOfACloneKeepsThreeIndependentCopies(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace first = vm.space();
            first.map(vm.base(), vm.pageSize, USER_DATA, Backing.anonymous());
            first.write(0, vm.page(0), bytes("0"), Privilege.USER);
            PagedAddressSpace second = (PagedAddressSpace) first.clone();
            PagedAddressSpace third = (PagedAddressSpace) second.clone();

            second.write(0, vm.page(0), bytes("2"), Privilege.USER);
            third.write(0, vm.page(0), bytes("3"), Privilege.USER);

            assertArrayEquals(bytes("0"), first.read(0, vm.page(0), 1, Privilege.USER));
            assertArrayEquals(bytes("2"), second.read(0, vm.page(0), 1, Privilege.USER));
            assertArrayEquals(bytes("3"), third.read(0, vm.page(0), 1, Privilege.USER));
            assertEquals(1, second.statistics().copyOnWriteCopies());
            assertEquals(1, third.statistics().copyOnWriteCopies());
            first.write(0, vm.page(0), bytes("1"), Privilege.USER);
            assertEquals(1, first.statistics().copyOnWriteReuses(), "the original frame is the first space's alone");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aReadOnlyRegionIsClonedReadOnlyAndStaysCopyOnWriteWhenMadeWritable(Architecture architecture) {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace parent = vm.space();
            parent.map(vm.base(), vm.pageSize, USER_DATA, Backing.anonymous());
            parent.write(0, vm.page(0), bytes("text"), Privilege.USER);
            parent.protect(vm.base(), vm.pageSize, Permissions.parse("r-xu-"));
            PagedAddressSpace child = (PagedAddressSpace) parent.clone();

            child.protect(vm.base(), vm.pageSize, USER_DATA);

            assertFalse(child.entry(vm.page(0)).orElseThrow().permissions().write(), "still shared with the parent");
            child.write(0, vm.page(0), bytes("T"), Privilege.USER);
            assertEquals(1, child.statistics().copyOnWriteCopies());
            assertArrayEquals(bytes("text"), parent.read(0, vm.page(0), 4, Privilege.USER));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aCloneWithoutFramesForItsTableIsUndoneAndTheParentKeepsItsContents(Architecture architecture) throws Exception {
        try (Vm vm = Vm.on(architecture)) {
            PagedAddressSpace parent = vm.space();
            parent.map(vm.base(), vm.pageSize, USER_DATA, Backing.anonymous());
            parent.write(0, vm.page(0), bytes("safe"), Privilege.USER);
            long free = vm.freeFrames();
            java.util.List<Long> hoard = new java.util.ArrayList<>();
            for (long left = vm.freeFrames(); left > 1; left--) {
                hoard.add(vm.pmm.allocate(0));
            }

            assertThrows(org.astralisp.hal.api.paging.OutOfFramesException.class, parent::clone);

            hoard.forEach(frame -> vm.pmm.free(frame, 0));
            assertEquals(free, vm.freeFrames(), "the half-built clone gave back its root and references");
            parent.write(0, vm.page(0), bytes("S"), Privilege.USER);
            assertEquals(0, parent.statistics().copyOnWriteCopies(), "the parent's frame is its own again");
            assertArrayEquals(bytes("Safe"), parent.read(0, vm.page(0), 4, Privilege.USER));
        }
    }

    static byte[] bytes(String text) {
        return text.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    }
}
