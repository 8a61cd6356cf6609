package org.astralisp.kernel.vm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.kernel.api.vm.AddressSpace;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.kernel.api.vm.InvalidMappingException;
import org.astralisp.kernel.api.vm.OverlappingMappingException;
import org.astralisp.kernel.api.vm.RangeNotMappedException;
import org.astralisp.kernel.api.vm.Region;
import org.astralisp.kernel.api.vm.SegmentationFaultException;
import org.astralisp.kernel.api.vm.SegmentationFaultException.Reason;
import org.astralisp.kernel.api.vm.SharedMemory;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Random map, unmap, protect, read, write, clone and destroy sequences on several spaces and two CPUs,
 * against a model that knows only, per space, which pages are mapped with what permissions and what
 * bytes each holds: private pages are values (a clone copies them), shared pages are the shared
 * object's bytes. After every step: the same outcome (success, or the same exception and reason), the
 * same bytes read, the same regions page by page. At the end everything is destroyed and the PMM has
 * every frame back.
 */
class AddressSpaceModelTest {

    private static final long SEED = 20261126L;
    private static final int STEPS = 3000;
    private static final int POOL = 24;
    private static final int CPUS = 2;
    private static final int SHARED_PAGES = 6;
    private static final List<Permissions> PERMISSIONS = List.of(Permissions.parse("rw-u-"), Permissions.parse("r--u-"),
            Permissions.parse("---u-"), Permissions.parse("r-xu-"), Permissions.parse("rw---"));

    /** One page of a model space: its permissions and either private bytes or a shared object's page. */
    private record ModelPage(Permissions permissions, byte[] data, int shared, int index) {

        ModelPage withPermissions(Permissions changed) {
            return new ModelPage(changed, data, shared, index);
        }

        ModelPage copy() {
            return new ModelPage(permissions, shared < 0 ? data.clone() : data, shared, index);
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void randomOperationsAgreeWithTheModel(Architecture architecture) {
        try (Vm vm = Vm.on(architecture, CPUS, new LocalCrossCall(CPUS))) {
            new Run(vm, new Random(SEED + architecture.ordinal())).run();
        }
    }

    private static final class Run {

        private final Vm vm;
        private final Random random;
        private final long free;
        private final List<AddressSpace> spaces = new ArrayList<>();
        private final List<TreeMap<Integer, ModelPage>> models = new ArrayList<>();
        private final List<SharedMemory> shared = new ArrayList<>();
        private final List<byte[][]> sharedData = new ArrayList<>();
        private String operation = "start";

        Run(Vm vm, Random random) {
            this.vm = vm;
            this.random = random;
            this.free = vm.freeFrames();
        }

        void run() {
            for (int i = 0; i < 2; i++) {
                shared.add(vm.vmm.createSharedMemory((long) SHARED_PAGES * vm.pageSize));
                byte[][] pages = new byte[SHARED_PAGES][];
                for (int p = 0; p < SHARED_PAGES; p++) {
                    pages[p] = new byte[vm.pageSize];
                }
                sharedData.add(pages);
            }
            spaces.add(vm.space());
            models.add(new TreeMap<>());
            for (int step = 0; step < STEPS; step++) {
                try {
                    step();
                    compareRegions();
                } catch (AssertionError | RuntimeException e) {
                    throw new AssertionError("model check failed with seed " + SEED + " on " + vm.architecture
                            + " at step " + step + " (" + operation + "): " + e.getMessage(), e);
                }
            }
            spaces.forEach(AddressSpace::destroy);
            shared.forEach(SharedMemory::close);
            assertEquals(free, vm.freeFrames(), "every frame back after destroying everything");
            assertEquals(0, vm.vmm.references().frames());
        }

        private void step() {
            int which = random.nextInt(spaces.size());
            AddressSpace space = spaces.get(which);
            TreeMap<Integer, ModelPage> model = models.get(which);
            int first = random.nextInt(POOL);
            int count = 1 + random.nextInt(Math.min(5, POOL - first));
            int choice = random.nextInt(100);
            if (choice < 20) {
                map(space, model, first, count);
            } else if (choice < 30) {
                operation = "unmap " + first + "+" + count + " in space " + which;
                expect(covered(model, first, count) ? null : RangeNotMappedException.class,
                        () -> space.unmap(vm.page(first), (long) count * vm.pageSize));
                if (covered(model, first, count)) {
                    model.subMap(first, first + count).clear();
                }
            } else if (choice < 42) {
                Permissions permissions = PERMISSIONS.get(random.nextInt(PERMISSIONS.size()));
                operation = "protect " + first + "+" + count + " " + permissions + " in space " + which;
                boolean covered = covered(model, first, count);
                expect(covered ? null : RangeNotMappedException.class,
                        () -> space.protect(vm.page(first), (long) count * vm.pageSize, permissions));
                if (covered) {
                    for (int page = first; page < first + count; page++) {
                        model.put(page, model.get(page).withPermissions(permissions));
                    }
                }
            } else if (choice < 65) {
                read(space, model, which);
            } else if (choice < 90) {
                write(space, model, which);
            } else if (choice < 95 && spaces.size() < 4) {
                operation = "clone space " + which;
                spaces.add(space.clone());
                TreeMap<Integer, ModelPage> copy = new TreeMap<>();
                model.forEach((page, state) -> copy.put(page, state.copy()));
                models.add(copy);
            } else if (spaces.size() > 1) {
                operation = "destroy space " + which;
                space.destroy();
                spaces.remove(which);
                models.remove(which);
            }
        }

        private void map(AddressSpace space, TreeMap<Integer, ModelPage> model, int first, int count) {
            Permissions permissions = PERMISSIONS.get(random.nextInt(PERMISSIONS.size()));
            boolean isShared = random.nextInt(3) == 0 && count <= SHARED_PAGES;
            int object = random.nextInt(shared.size());
            int offset = isShared ? random.nextInt(SHARED_PAGES - count + 1) : 0;
            Backing backing = isShared ? Backing.shared(shared.get(object), (long) offset * vm.pageSize) : Backing.anonymous();
            operation = "map " + first + "+" + count + " " + permissions + " " + backing;
            boolean free = model.subMap(first, first + count).isEmpty();
            expect(free ? null : OverlappingMappingException.class,
                    () -> space.map(vm.page(first), (long) count * vm.pageSize, permissions, backing));
            if (free) {
                for (int i = 0; i < count; i++) {
                    model.put(first + i, isShared
                            ? new ModelPage(permissions, sharedData.get(object)[offset + i], object, offset + i)
                            : new ModelPage(permissions, new byte[vm.pageSize], -1, -1));
                }
            }
        }

        private void read(AddressSpace space, TreeMap<Integer, ModelPage> model, int which) {
            long address = address();
            int length = length();
            Privilege privilege = random.nextInt(4) == 0 ? Privilege.SUPERVISOR : Privilege.USER;
            int cpu = random.nextInt(CPUS);
            operation = "read " + Long.toHexString(address) + "+" + length + " " + privilege + " on CPU " + cpu + " in space " + which;
            Fault fault = firstFault(model, address, length, privilege, false);
            if (fault == null) {
                byte[] expected = new byte[length];
                for (int i = 0; i < length; i++) {
                    expected[i] = byteAt(model, address + i);
                }
                assertArrayEquals(expected, space.read(cpu, address, length, privilege));
            } else {
                SegmentationFaultException e = expectFault(() -> space.read(cpu, address, length, privilege));
                assertEquals(fault.address, e.address());
                assertEquals(fault.reason, e.reason());
            }
        }

        private void write(AddressSpace space, TreeMap<Integer, ModelPage> model, int which) {
            long address = address();
            byte[] bytes = new byte[length()];
            random.nextBytes(bytes);
            Privilege privilege = random.nextInt(4) == 0 ? Privilege.SUPERVISOR : Privilege.USER;
            int cpu = random.nextInt(CPUS);
            operation = "write " + Long.toHexString(address) + "+" + bytes.length + " " + privilege + " on CPU " + cpu + " in space " + which;
            Fault fault = firstFault(model, address, bytes.length, privilege, true);
            long end = fault == null ? address + bytes.length : fault.address;
            if (fault == null) {
                space.write(cpu, address, bytes, privilege);
            } else {
                SegmentationFaultException e = expectFault(() -> space.write(cpu, address, bytes, privilege));
                assertEquals(fault.address, e.address());
                assertEquals(fault.reason, e.reason());
            }
            for (long at = address; at < end; at++) {
                ModelPage page = model.get(pageOf(at));
                page.data()[(int) (at - vm.page(pageOf(at)))] = bytes[(int) (at - address)];
            }
        }

        /** An address near the start or the end of a page of the pool, so that accesses often cross pages. */
        private long address() {
            int offset = random.nextInt(64);
            return vm.page(random.nextInt(POOL)) + (random.nextBoolean() ? offset : vm.pageSize - 1 - offset);
        }

        /** Mostly short, now and then longer than a page. */
        private int length() {
            return random.nextInt(20) == 0 ? vm.pageSize + random.nextInt(64) : 1 + random.nextInt(128);
        }

        private record Fault(long address, Reason reason) {
        }

        /** Where an access of {@code length} bytes from {@code address} is first refused, page by page. */
        private Fault firstFault(TreeMap<Integer, ModelPage> model, long address, int length, Privilege privilege,
                boolean write) {
            long at = address;
            while (at < address + length) {
                int index = pageOf(at);
                ModelPage page = index >= 0 && index < POOL ? model.get(index) : null;
                if (page == null) {
                    return new Fault(at, Reason.NOT_MAPPED);
                }
                Permissions p = page.permissions();
                if (privilege == Privilege.USER && !p.user()) {
                    return new Fault(at, Reason.SUPERVISOR_ONLY);
                }
                if (privilege == Privilege.SUPERVISOR && p.user()) {
                    return new Fault(at, Reason.USER_ONLY);
                }
                if (write ? !p.write() : !p.read()) {
                    return new Fault(at, write ? Reason.NOT_WRITABLE : Reason.NOT_READABLE);
                }
                at = vm.page(index + 1);
            }
            return null;
        }

        private byte byteAt(TreeMap<Integer, ModelPage> model, long address) {
            int index = pageOf(address);
            return model.get(index).data()[(int) (address - vm.page(index))];
        }

        private int pageOf(long address) {
            return (int) Math.floorDiv(address - vm.base(), vm.pageSize);
        }

        private boolean covered(TreeMap<Integer, ModelPage> model, int first, int count) {
            return model.subMap(first, first + count).size() == count;
        }

        /** The regions of every space, page by page, against the model. */
        private void compareRegions() {
            for (int s = 0; s < spaces.size(); s++) {
                Map<Integer, String> actual = new HashMap<>();
                for (Region region : spaces.get(s).regions()) {
                    long pages = region.range().length() / vm.pageSize;
                    for (int i = 0; i < pages; i++) {
                        String backing = region.backing() instanceof Backing.Shared sh
                                ? "shared " + shared.indexOf(sh.memory()) + "/" + (sh.offset() / vm.pageSize + i)
                                : "anonymous";
                        actual.put(pageOf(region.range().start()) + i, region.permissions() + " " + backing);
                    }
                }
                Map<Integer, String> expected = new HashMap<>();
                models.get(s).forEach((page, state) -> expected.put(page, state.permissions() + " "
                        + (state.shared() < 0 ? "anonymous" : "shared " + state.shared() + "/" + state.index())));
                assertEquals(expected, actual, "regions of space " + s);
            }
        }

        private static void expect(Class<? extends InvalidMappingException> refusal, Runnable request) {
            try {
                request.run();
            } catch (InvalidMappingException e) {
                if (refusal == null || !refusal.isInstance(e)) {
                    throw new AssertionError("unexpected refusal: " + e.getMessage(), e);
                }
                return;
            }
            if (refusal != null) {
                throw new AssertionError("expected " + refusal.getSimpleName());
            }
        }

        private static SegmentationFaultException expectFault(Runnable access) {
            try {
                access.run();
            } catch (SegmentationFaultException e) {
                return e;
            }
            throw new AssertionError("expected a segmentation fault");
        }
    }

}
