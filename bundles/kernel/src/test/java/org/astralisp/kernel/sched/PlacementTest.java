package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLongArray;
import org.astralisp.kernel.api.sched.CpuStatistics;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.api.sched.SchedulingAttributes;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Where threads run: affinity, placement, stealing and balancing, on real two-vCPU machines. */
@Timeout(60)
class PlacementTest {

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aThreadRunsOnlyOnTheCpusItsAffinityAllowsAmongUnpinnedLoad(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 2, new FairSharePolicy())) {
            Thread vcpu0 = kernel.vcpuThread(0);
            AtomicBoolean stop = new AtomicBoolean();
            List<KernelThread> load = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                load.add(kernel.start(0, "load-" + i, SchedulingAttributes.DEFAULT, SchedulerOnMachine.spinner(stop)));
            }
            Set<String> wrong = ConcurrentHashMap.newKeySet();
            AtomicLongArray steps = new AtomicLongArray(1);
            KernelThread onOne = kernel.scheduler.thread("cpu1 only",
                    SchedulingAttributes.DEFAULT.withAffinity(SchedulingAttributes.cpus(1)), () -> {
                        for (int i = 0; i < 2000; i++) {
                            if (Thread.currentThread() == vcpu0 || KernelThread.current().cpu() != 1) {
                                wrong.add("step " + i + " on " + Thread.currentThread().getName());
                            }
                            steps.incrementAndGet(0);
                            KernelThread.yield();
                        }
                    });
            assertEquals("all", kernel.scheduler.threads().getFirst().attributes().affinityText(2));
            onOne.start();
            awaitEnd(onOne);
            stop.set(true);
            for (KernelThread thread : load) {
                awaitEnd(thread);
            }
            assertEquals(Set.of(), wrong, "steps of the CPU-1 thread that ran elsewhere");
            assertEquals(2000, steps.get(0));
            assertEquals(1, onOne.cpu());
        }
    }

    @Test
    void attributesChangeBeforeTheFirstRunMovesTheThreadAfterItOnlyWithinItsVcpu() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2, new FairSharePolicy())) {
            Thread vcpu1 = kernel.vcpuThread(1);
            AtomicBoolean onOne = new AtomicBoolean();
            AtomicBoolean go = new AtomicBoolean();
            KernelThread thread = kernel.scheduler.thread(0, "mover", SchedulingAttributes.DEFAULT, () -> {
                onOne.set(Thread.currentThread() == vcpu1);
                while (!go.get()) {
                    KernelThread.yield();
                }
            });
            thread.setAttributes(SchedulingAttributes.DEFAULT.withAffinity(SchedulingAttributes.cpus(1)).withNice(3));
            thread.start();
            eventually("the mover runs", () -> thread.state() != KernelThread.State.RUNNABLE || onOne.get());
            eventually("the mover has run", () -> thread.cpuTime().toNanos() > 0);
            assertTrue(onOne.get(), "the mover ran on CPU 1, its new affinity, not CPU 0 where it was created");

            IllegalStateException refused = assertThrows(IllegalStateException.class, () -> thread.setAttributes(
                    SchedulingAttributes.DEFAULT.withAffinity(SchedulingAttributes.cpus(0))));
            assertTrue(refused.getMessage().contains("has run on CPU 1, which its new affinity 0 leaves out"),
                    refused.getMessage());
            assertEquals(3, thread.attributes().nice(), "a refused change changes nothing");
            thread.setAttributes(thread.attributes().withNice(-5));
            assertEquals(-5, thread.attributes().nice());

            IllegalArgumentException nowhere = assertThrows(IllegalArgumentException.class, () -> thread.setAttributes(
                    SchedulingAttributes.DEFAULT.withAffinity(SchedulingAttributes.cpus(5))));
            assertEquals("affinity {5} names no CPU of this machine (CPUs are 0..1)", nowhere.getMessage());
            assertThrows(IllegalArgumentException.class, () -> kernel.scheduler.thread("x",
                    SchedulingAttributes.DEFAULT.withAffinity(SchedulingAttributes.cpus(2, 3)), () -> { }));
            IllegalArgumentException outside = assertThrows(IllegalArgumentException.class, () -> kernel.scheduler
                    .thread(0, "y", SchedulingAttributes.DEFAULT.withAffinity(SchedulingAttributes.cpus(1)), () -> { }));
            assertEquals("thread 'y' cannot start on CPU 0: its affinity is 1", outside.getMessage());
            go.set(true);
            awaitEnd(thread);
        }
    }

    /**
     * The race between an affinity change and a first run: the vCPU that
     * took the thread from its queue settles it only if the affinity (read
     * under the thread's lock) still allows that vCPU; else it goes elsewhere
     * unrun. Once settled, no change can leave its vCPU out.
     */
    @Test
    void aThreadSettlesOnlyOnAVcpuItsAffinityAllowsAtItsFirstRun() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2, new RoundRobinPolicy())) {
            ContinuationThread thread = (ContinuationThread) kernel.scheduler.thread(0, "racer",
                    SchedulingAttributes.DEFAULT, () -> { });
            thread.setAttributes(SchedulingAttributes.DEFAULT.withAffinity(SchedulingAttributes.cpus(1)));
            assertTrue(thread.movable());
            assertFalse(thread.settleOn(kernel.scheduler.executor(0)), "CPU 0 is no longer allowed");
            assertTrue(thread.movable(), "refused, it stays free to move");
            thread.moveTo(kernel.scheduler.executor(1));
            assertTrue(thread.settleOn(kernel.scheduler.executor(1)));
            assertFalse(thread.movable());
            assertThrows(IllegalStateException.class, () -> thread.moveTo(kernel.scheduler.executor(0)));
            assertThrows(IllegalStateException.class, () -> thread.setAttributes(
                    SchedulingAttributes.DEFAULT.withAffinity(SchedulingAttributes.cpus(0))));
            assertEquals("1", thread.attributes().affinityText(2));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void anEightThreadLoadStartedOnCpuZeroEndsUpOnBothVcpus(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 2, new RoundRobinPolicy())) {
            Thread vcpu1 = kernel.vcpuThread(1);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLongArray onCpu1 = new AtomicLongArray(8);
            List<KernelThread> threads = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                int me = i;
                threads.add(kernel.start(0, "load-" + i, SchedulingAttributes.DEFAULT, () -> {
                    while (!stop.get()) {
                        if (Thread.currentThread() == vcpu1) {
                            onCpu1.incrementAndGet(me);
                        }
                        Safepoint.poll();
                    }
                }));
            }
            eventually("every thread has run", () -> threads.stream().allMatch(t -> t.cpuTime().toNanos() > 0));
            Thread.sleep(200);
            int[] perCpu = new int[2];
            threads.forEach(t -> perCpu[t.cpu()]++);
            CpuStatistics cpu1 = kernel.scheduler.statistics().get(1);
            stop.set(true);
            for (KernelThread thread : threads) {
                awaitEnd(thread);
            }
            int ranOnCpu1 = 0;
            for (int i = 0; i < 8; i++) {
                ranOnCpu1 += onCpu1.get(i) > 0 ? 1 : 0;
            }
            System.out.println("8 threads started on CPU 0: " + perCpu[0] + " on CPU 0, " + perCpu[1]
                    + " on CPU 1; CPU 1 pulled " + cpu1.pulled());
            assertTrue(perCpu[1] >= 2 && perCpu[0] >= 2, "threads per CPU " + perCpu[0] + "/" + perCpu[1]);
            assertEquals(perCpu[1], ranOnCpu1, "the threads on CPU 1 ran there");
            assertTrue(cpu1.pulled() >= perCpu[1], "CPU 1 pulled " + cpu1.pulled() + " threads");
            assertTrue(cpu1.switches() > 0);
        }
    }
}
