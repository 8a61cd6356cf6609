package org.astralisp.kernel.vm;

import static org.astralisp.kernel.vm.CopyOnWriteTest.bytes;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.BitSet;
import java.util.function.IntConsumer;
import org.astralisp.hal.api.paging.Permissions;
import org.astralisp.hal.api.paging.Privilege;
import org.astralisp.kernel.api.irq.CrossCall;
import org.astralisp.kernel.api.vm.Backing;
import org.astralisp.kernel.api.vm.SegmentationFaultException;
import org.astralisp.kernel.api.vm.SegmentationFaultException.Reason;
import org.astralisp.kernel.api.vm.TlbStatistics;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class TlbShootdownTest {

    private static final Permissions RW = Permissions.parse("rw-u-");

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aStaleTranslationOnCpu1IsGoneWhenAnUnmapOnCpu0Returns(Architecture architecture) throws Exception {
        try (TestCpus cpus = new TestCpus(2); Vm vm = Vm.on(architecture, 2, cpus)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), vm.pageSize, RW, Backing.anonymous());
            cpus.on(0, () -> {
                space.write(0, vm.base(), bytes("old"), Privilege.USER);
                return null;
            });
            cpus.on(1, () -> space.read(1, vm.base(), 3, Privilege.USER));
            cpus.on(1, () -> space.read(1, vm.base(), 3, Privilege.USER));
            assertEquals(1, vm.vmm.tlbStatistics(1).hits(), "CPU 1 holds the translation");

            cpus.on(0, () -> {
                space.unmap(vm.base(), vm.pageSize);
                return null;
            });

            assertEquals(1, cpus.interruptsTaken(1), "CPU 1 ran the shootdown on its own thread");
            assertEquals(new TlbStatistics(1, 1, 1, 1, 1), vm.vmm.tlbStatistics(1));
            SegmentationFaultException e = assertThrows(SegmentationFaultException.class,
                    () -> cpus.on(1, () -> space.read(1, vm.base(), 3, Privilege.USER)));
            assertEquals(Reason.NOT_MAPPED, e.reason());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void withoutTheShootdownCpu1WouldStillReadTheUnmappedPage(Architecture architecture) throws Exception {
        try (TestCpus cpus = new TestCpus(2); Vm vm = Vm.on(architecture, 2, new CallerOnly(cpus))) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), vm.pageSize, RW, Backing.anonymous());
            cpus.on(1, () -> {
                space.write(1, vm.base(), bytes("old"), Privilege.USER);
                return null;
            });

            cpus.on(0, () -> {
                space.unmap(vm.base(), vm.pageSize);
                return null;
            });

            assertArrayEquals(bytes("old"), cpus.on(1, () -> space.read(1, vm.base(), 3, Privilege.USER)),
                    "the stale entry still translates to the freed frame");
            assertEquals(0, vm.vmm.tlbStatistics(1).invalidations());
            assertEquals(0, cpus.interruptsTaken(1));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aProtectOnCpu0TakesAwayCpu1sWritableEntry(Architecture architecture) throws Exception {
        try (TestCpus cpus = new TestCpus(2); Vm vm = Vm.on(architecture, 2, cpus)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), 2L * vm.pageSize, RW, Backing.anonymous());
            cpus.on(1, () -> {
                space.write(1, vm.base(), bytes("w"), Privilege.USER);
                return null;
            });

            cpus.on(0, () -> {
                space.protect(vm.base(), vm.pageSize, Permissions.parse("r--u-"));
                return null;
            });

            SegmentationFaultException e = assertThrows(SegmentationFaultException.class,
                    () -> cpus.on(1, () -> {
                        space.write(1, vm.base(), bytes("x"), Privilege.USER);
                        return null;
                    }));
            assertEquals(Reason.NOT_WRITABLE, e.reason());
            assertArrayEquals(bytes("w"), cpus.on(1, () -> space.read(1, vm.base(), 1, Privilege.USER)));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aCloneWriteProtectsCpu1sEntrySoItsNextWriteIsCopied(Architecture architecture) throws Exception {
        try (TestCpus cpus = new TestCpus(2); Vm vm = Vm.on(architecture, 2, cpus)) {
            PagedAddressSpace parent = vm.space();
            parent.map(vm.base(), vm.pageSize, RW, Backing.anonymous());
            cpus.on(1, () -> {
                parent.write(1, vm.base(), bytes("A"), Privilege.USER);
                return null;
            });

            PagedAddressSpace child = cpus.on(0, () -> (PagedAddressSpace) parent.clone());
            cpus.on(1, () -> {
                parent.write(1, vm.base(), bytes("B"), Privilege.USER);
                return null;
            });

            assertArrayEquals(bytes("A"), child.read(0, vm.base(), 1, Privilege.USER));
            assertArrayEquals(bytes("B"), parent.read(0, vm.base(), 1, Privilege.USER));
            assertEquals(1, parent.statistics().copyOnWriteCopies());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aCopyOnWriteBreakOnCpu0RetiresCpu1sReadOnlyEntryToTheOldFrame(Architecture architecture) throws Exception {
        try (TestCpus cpus = new TestCpus(2); Vm vm = Vm.on(architecture, 2, cpus)) {
            PagedAddressSpace parent = vm.space();
            parent.map(vm.base(), vm.pageSize, RW, Backing.anonymous());
            parent.write(0, vm.base(), bytes("0"), Privilege.USER);
            PagedAddressSpace child = (PagedAddressSpace) parent.clone();
            cpus.on(1, () -> parent.read(1, vm.base(), 1, Privilege.USER));

            cpus.on(0, () -> {
                parent.write(0, vm.base(), bytes("P"), Privilege.USER);
                return null;
            });
            child.write(0, vm.base(), bytes("C"), Privilege.USER);

            assertEquals(1, child.statistics().copyOnWriteReuses(), "the child took the old frame over");
            assertArrayEquals(bytes("P"), cpus.on(1, () -> parent.read(1, vm.base(), 1, Privilege.USER)),
                    "CPU 1 reads the parent's copy, not the frame the child now owns");
        }
    }

    @Test
    void onlyCpusThatUsedTheSpaceAreInterrupted() throws Exception {
        try (TestCpus cpus = new TestCpus(3); Vm vm = Vm.on(Architecture.RISCV64, 3, cpus)) {
            PagedAddressSpace a = vm.space();
            PagedAddressSpace b = vm.space();
            a.map(vm.base(), vm.pageSize, RW, Backing.anonymous());
            b.map(vm.base(), vm.pageSize, RW, Backing.anonymous());
            cpus.on(1, () -> a.read(1, vm.base(), 1, Privilege.USER));
            cpus.on(2, () -> b.read(2, vm.base(), 1, Privilege.USER));

            cpus.on(0, () -> {
                a.unmap(vm.base(), vm.pageSize);
                return null;
            });

            assertEquals(1, cpus.interruptsTaken(1));
            assertEquals(0, cpus.interruptsTaken(2));
            assertEquals(1, vm.vmm.tlbStatistics(2).hits() + vm.vmm.tlbStatistics(2).misses(),
                    "CPU 2's entry for b was left alone");
            assertArrayEquals(new byte[1], cpus.on(2, () -> b.read(2, vm.base(), 1, Privilege.USER)));
            assertEquals(1, vm.vmm.tlbStatistics(2).hits());
        }
    }

    @Test
    void destroyingASpaceRemovesAllItsEntriesFromEveryCpuThatUsedIt() throws Exception {
        try (TestCpus cpus = new TestCpus(2); Vm vm = Vm.on(Architecture.PPC64, 2, cpus)) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), 3L * vm.pageSize, RW, Backing.anonymous());
            cpus.on(1, () -> space.read(1, vm.base(), 3 * vm.pageSize, Privilege.USER));

            cpus.on(0, () -> {
                space.destroy();
                return null;
            });

            assertEquals(3, vm.vmm.tlbStatistics(1).invalidations());
            assertEquals(1, cpus.interruptsTaken(1));
        }
    }

    @Test
    void theLocalFallbackInvalidatesEveryTargetFromTheCallingThread() {
        try (Vm vm = Vm.on(Architecture.X86_64, 2, new LocalCrossCall(2))) {
            PagedAddressSpace space = vm.space();
            space.map(vm.base(), vm.pageSize, RW, Backing.anonymous());
            space.read(1, vm.base(), 1, Privilege.USER);

            space.unmap(vm.base(), vm.pageSize);

            assertEquals(1, vm.vmm.tlbStatistics(1).invalidations());
            assertThrows(SegmentationFaultException.class, () -> space.read(1, vm.base(), 1, Privilege.USER));
            BitSet beyond = new BitSet();
            beyond.set(2);
            assertEquals("no CPU 2: CPUs are 0..1", assertThrows(IllegalArgumentException.class,
                    () -> new LocalCrossCall(2).runOn(beyond, cpu -> { })).getMessage());
        }
    }

    @Test
    void aTlbHoldsAtMostItsEntriesAndEvictsByIndex() {
        try (Vm vm = Vm.on(Architecture.X86_64)) {
            PagedAddressSpace space = vm.space();
            int pages = 4 * SoftwareTlb.ENTRIES;
            space.map(vm.base(), (long) pages * vm.pageSize, RW, Backing.anonymous());
            space.read(0, vm.base(), pages * vm.pageSize, Privilege.USER);
            TlbStatistics first = vm.vmm.tlbStatistics(0);

            space.read(0, vm.base(), pages * vm.pageSize, Privilege.USER);

            TlbStatistics second = vm.vmm.tlbStatistics(0);
            assertTrue(second.misses() - first.misses() >= pages - SoftwareTlb.ENTRIES,
                    "at most " + SoftwareTlb.ENTRIES + " of the " + pages + " pages can still be cached");
            assertEquals(pages, space.statistics().pageFaults(), "the misses walked the table; no page faulted twice");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aCopyOnWriteCopyWaitsUntilNoCpuCanStoreThroughAStaleWritableEntry(Architecture architecture) throws Exception {
        try (TestCpus cpus = new TestCpus(3); HeldFromCpu1 held = new HeldFromCpu1(cpus);
                Vm vm = Vm.on(architecture, 3, held)) {
            PagedAddressSpace parent = vm.space();
            parent.map(vm.base(), vm.pageSize, RW, Backing.anonymous());
            cpus.on(1, () -> {
                parent.write(1, vm.base(), bytes("a"), Privilege.USER);
                return null;
            });

            var clone = cpus.submit(0, parent::clone);
            held.awaitWaiting(1);
            var copy = cpus.submit(2, () -> {
                parent.write(2, vm.base() + 1, bytes("T"), Privilege.USER);
                return null;
            });
            held.awaitWaiting(2);
            cpus.on(1, () -> {
                parent.write(1, vm.base(), bytes("S"), Privilege.USER);
                return null;
            });
            held.release();
            clone.get(20, java.util.concurrent.TimeUnit.SECONDS);
            copy.get(20, java.util.concurrent.TimeUnit.SECONDS);

            assertArrayEquals(bytes("ST"), parent.read(0, vm.base(), 2, Privilege.USER),
                    "CPU 1's store through its stale writable entry, made while the clone's shootdown was on its way, "
                            + "is in the copy");
            assertEquals(1, parent.statistics().copyOnWriteCopies());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aSecondCloneIsHandedOutOnlyWhenNoStaleWritableEntryOfTheFirstIsLeft(Architecture architecture)
            throws Exception {
        try (TestCpus cpus = new TestCpus(3); HeldFromCpu1 held = new HeldFromCpu1(cpus);
                Vm vm = Vm.on(architecture, 3, held)) {
            PagedAddressSpace parent = vm.space();
            parent.map(vm.base(), vm.pageSize, RW, Backing.anonymous());
            cpus.on(1, () -> {
                parent.write(1, vm.base(), bytes("a"), Privilege.USER);
                return null;
            });

            var first = cpus.submit(0, parent::clone);
            held.awaitWaiting(1);
            var second = cpus.submit(2, () -> {
                PagedAddressSpace clone = (PagedAddressSpace) parent.clone();
                clone.write(2, vm.base() + 1, bytes("T"), Privilege.USER);
                return clone;
            });
            held.awaitWaitingOr(2, second);
            cpus.on(1, () -> {
                parent.write(1, vm.base(), bytes("S"), Privilege.USER);
                return null;
            });
            held.release();
            first.get(20, java.util.concurrent.TimeUnit.SECONDS);
            PagedAddressSpace clone = second.get(20, java.util.concurrent.TimeUnit.SECONDS);

            assertArrayEquals(bytes("ST"), clone.read(0, vm.base(), 2, Privilege.USER),
                    "the second clone's copy holds the store made through the entry the first clone write-protected");
        }
    }

    /**
     * The test CPUs' cross-call, except that a call reaching CPU 1 waits until {@link #release()}: an
     * inter-processor interrupt on its way for as long as the test needs.
     */
    private static final class HeldFromCpu1 implements CrossCall, AutoCloseable {
        private final TestCpus cpus;
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();

        HeldFromCpu1(TestCpus cpus) {
            this.cpus = cpus;
        }

        @Override
        public void runOn(BitSet targets, IntConsumer action) {
            if (targets.get(1) && released.getCount() > 0) {
                waiting.incrementAndGet();
                try {
                    if (!released.await(20, java.util.concurrent.TimeUnit.SECONDS)) {
                        throw new IllegalStateException("never released");
                    }
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }
            cpus.runOn(targets, action);
        }

        void awaitWaiting(int calls) throws InterruptedException {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (waiting.get() < calls) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(calls + " cross-calls to CPU 1 expected, " + waiting.get() + " came");
                }
                Thread.sleep(1);
            }
        }

        /** Waits until {@code calls} cross-calls to CPU 1 are held, or {@code job} has finished without one. */
        void awaitWaitingOr(int calls, java.util.concurrent.Future<?> job) throws InterruptedException {
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (waiting.get() < calls && !job.isDone()) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError(calls + " cross-calls to CPU 1 expected, " + waiting.get() + " came");
                }
                Thread.sleep(1);
            }
        }

        void release() {
            released.countDown();
        }

        /** Lets anything still held through, so that no CPU thread is left waiting after a failed test. */
        @Override
        public void close() {
            release();
        }
    }

    /** A broken cross-call that runs the action only on the calling CPU, never on the others: no shootdown. */
    private record CallerOnly(TestCpus cpus) implements CrossCall {
        @Override
        public void runOn(BitSet targets, IntConsumer action) {
            BitSet self = new BitSet();
            self.set(0);
            self.and(targets);
            cpus.runOn(self, action);
        }
    }
}
