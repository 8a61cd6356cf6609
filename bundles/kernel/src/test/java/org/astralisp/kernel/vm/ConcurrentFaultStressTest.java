package org.astralisp.kernel.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Several CPUs faulting on one space at once. Each CPU owns an 8-byte slot in every page (at 8 × its
 * number), so the CPUs write the same pages — and break the same copy-on-write frames — at once, while
 * each can still check its own slot exactly.
 */
class ConcurrentFaultStressTest {

    private static final int CPUS = 4;
    private static final int PAGES = 16;
    private static final long MILLIS = 600;
    private static final Permissions RW = Permissions.parse("rw-u-");

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void cpusTouchingTheSamePagesAtOnceAllocateEachFrameOnce(Architecture architecture) throws Exception {
        try (TestCpus cpus = new TestCpus(CPUS); Vm vm = Vm.on(architecture, CPUS, cpus)) {
            long free = vm.freeFrames();
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), (long) PAGES * vm.pageSize, RW, Backing.anonymous());

            List<FutureTask<Object>> tasks = new ArrayList<>();
            for (int cpu = 0; cpu < CPUS; cpu++) {
                int self = cpu;
                tasks.add(cpus.submit(cpu, () -> {
                    for (int page = 0; page < PAGES; page++) {
                        space.write(self, vm.page(page) + 8L * self, slot(self + 1), Privilege.USER);
                    }
                    return null;
                }));
            }
            for (FutureTask<Object> task : tasks) {
                task.get(20, TimeUnit.SECONDS);
            }

            assertEquals(PAGES, space.statistics().demandZeroPages(), "one frame per page, however many CPUs faulted");
            assertEquals(PAGES, vm.vmm.references().frames());
            Set<Long> frames = new HashSet<>();
            for (int page = 0; page < PAGES; page++) {
                frames.add(space.entry(vm.page(page)).orElseThrow().physical());
                for (int cpu = 0; cpu < CPUS; cpu++) {
                    assertEquals(cpu + 1, value(space.read(0, vm.page(page) + 8L * cpu, 8, Privilege.USER)),
                            "CPU " + cpu + "'s write to page " + page + " kept");
                }
            }
            assertEquals(PAGES, frames.size());
            space.destroy();
            assertEquals(free, vm.freeFrames());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void writesAndClonesOnEveryCpuLoseNoCopyOnWriteAndLeakNoFrame(Architecture architecture) throws Exception {
        try (TestCpus cpus = new TestCpus(CPUS); Vm vm = Vm.on(architecture, CPUS, cpus)) {
            long free = vm.freeFrames();
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), (long) PAGES * vm.pageSize, RW, Backing.anonymous());
            long[][] last = new long[CPUS][PAGES];
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MILLIS);

            List<FutureTask<Integer>> tasks = new ArrayList<>();
            for (int cpu = 0; cpu < CPUS; cpu++) {
                int self = cpu;
                tasks.add(cpus.submit(cpu, () -> churn(cpus, vm, space, self, last[self], deadline)));
            }
            int clones = 0;
            for (FutureTask<Integer> task : tasks) {
                clones += task.get(30, TimeUnit.SECONDS);
            }

            for (int cpu = 0; cpu < CPUS; cpu++) {
                for (int page = 0; page < PAGES; page++) {
                    assertEquals(last[cpu][page], value(space.read(0, vm.page(page) + 8L * cpu, 8, Privilege.USER)),
                            "CPU " + cpu + "'s last write to page " + page + " is in the space");
                }
            }
            assertEquals(space.statistics().residentPages(), vm.vmm.references().frames(),
                    "every clone destroyed: each frame referenced once, by the space");
            assertTrue(clones > 0);
            assertTrue(space.statistics().copyOnWriteCopies() + space.statistics().copyOnWriteReuses() > 0);
            space.destroy();
            assertEquals(free, vm.freeFrames());
            assertEquals(0, vm.vmm.references().frames());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void unmapsAndProtectsWhileOtherCpusFaultNeitherDeadlockNorLeak(Architecture architecture)
            throws Exception {
        try (TestCpus cpus = new TestCpus(CPUS); Vm vm = Vm.on(architecture, CPUS, cpus)) {
            long free = vm.freeFrames();
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), (long) PAGES * vm.pageSize, RW, Backing.anonymous());
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(MILLIS);

            List<FutureTask<Long>> writers = new ArrayList<>();
            for (int cpu = 1; cpu < CPUS; cpu++) {
                int self = cpu;
                writers.add(cpus.submit(cpu, () -> fault(cpus, vm, space, self, deadline)));
            }
            FutureTask<Integer> changer = cpus.submit(0, () -> {
                Random random = new Random(0);
                int changes = 0;
                while (System.nanoTime() < deadline) {
                    int page = random.nextInt(PAGES);
                    if (random.nextBoolean()) {
                        space.unmap(vm.page(page), vm.pageSize);
                        space.map(vm.page(page), vm.pageSize, RW, Backing.anonymous());
                    } else {
                        space.protect(vm.page(page), vm.pageSize, Permissions.parse("r--u-"));
                        space.protect(vm.page(page), vm.pageSize, RW);
                    }
                    changes++;
                    cpus.pollInterrupts();
                }
                return changes;
            });
            long written = 0;
            for (FutureTask<Long> writer : writers) {
                written += writer.get(30, TimeUnit.SECONDS);
            }

            assertTrue(changer.get(30, TimeUnit.SECONDS) > 0);
            assertTrue(written > 0);
            assertEquals(space.statistics().residentPages(), vm.vmm.references().frames());
            space.destroy();
            assertEquals(free, vm.freeFrames(), "every frame back: none freed twice, none lost");
        }
    }

    /**
     * CPU {@code self} writes its slot of random pages and reads it back while CPU 0 unmaps, remaps and
     * protects them: a write may be refused (the page is being unmapped or protected) and a read may find
     * the page zeroed (remapped), but a read must never find another value than its write or zero.
     *
     * @return how many writes went through
     */
    private static long fault(TestCpus cpus, Vm vm, PagedAddressSpace space, int self, long deadline) {
        Random random = new Random(self);
        long written = 0;
        long value = 0;
        while (System.nanoTime() < deadline) {
            int page = random.nextInt(PAGES);
            long address = vm.page(page) + 8L * self;
            try {
                space.write(self, address, slot(++value), Privilege.USER);
                written++;
                long seen = value(space.read(self, address, 8, Privilege.USER));
                if (seen != value && seen != 0) {
                    throw new AssertionError("CPU " + self + " read " + seen + " after writing " + value);
                }
            } catch (org.astralisp.kernel.api.vm.SegmentationFaultException e) {
                if (e.reason() != org.astralisp.kernel.api.vm.SegmentationFaultException.Reason.NOT_MAPPED
                        && e.reason() != org.astralisp.kernel.api.vm.SegmentationFaultException.Reason.NOT_WRITABLE) {
                    throw e;
                }
            }
            cpus.pollInterrupts();
        }
        return written;
    }

    /**
     * CPU {@code self} writes its slot of random pages, and now and then clones the space and checks that
     * the clone holds exactly its writes so far and that a write to the clone stays out of the space.
     *
     * @return how many clones it made
     */
    private static int churn(TestCpus cpus, Vm vm, PagedAddressSpace space, int self, long[] last, long deadline) {
        Random random = new Random(self);
        long value = 0;
        int clones = 0;
        while (System.nanoTime() < deadline) {
            int page = random.nextInt(PAGES);
            last[page] = ++value * CPUS + self;
            space.write(self, vm.page(page) + 8L * self, slot(last[page]), Privilege.USER);
            cpus.pollInterrupts();
            if (value % 40 == 0) {
                PagedAddressSpace clone = (PagedAddressSpace) space.clone();
                clones++;
                for (int p = 0; p < PAGES; p++) {
                    long seen = value(clone.read(self, vm.page(p) + 8L * self, 8, Privilege.USER));
                    if (seen != last[p]) {
                        throw new AssertionError("CPU " + self + ": clone's page " + p + " holds " + seen + ", not " + last[p]);
                    }
                }
                clone.write(self, vm.page(page) + 8L * self, slot(-1), Privilege.USER);
                long kept = value(space.read(self, vm.page(page) + 8L * self, 8, Privilege.USER));
                if (kept != last[page]) {
                    throw new AssertionError("CPU " + self + ": a write to the clone reached the space: " + kept);
                }
                clone.destroy();
            }
        }
        return clones;
    }

    private static byte[] slot(long value) {
        return ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(value).array();
    }

    private static long value(byte[] slot) {
        return ByteBuffer.wrap(slot).order(ByteOrder.LITTLE_ENDIAN).getLong();
    }
}
