package org.astralisp.kernel.sched;

import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The kernel's workers: kworker/N runs work that may block, in order, on its own CPU. */
@Timeout(60)
class KernelWorkersTest {

    private static final long WAIT_SECONDS = SchedulerOnMachine.WAIT.toSeconds();

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void eachCpusWorkRunsInItsWorkerThreadOnThatCpu(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 2);
                KernelWorkers workers = new KernelWorkers(kernel.scheduler)) {
            List<String> ran = new CopyOnWriteArrayList<>();
            CountDownLatch done = new CountDownLatch(2);
            for (int cpu = 0; cpu < 2; cpu++) {
                workers.submit(cpu, () -> {
                    KernelThread self = KernelThread.current();
                    ran.add(self.name() + " on CPU " + self.cpu());
                    done.countDown();
                });
            }
            assertTrue(done.await(WAIT_SECONDS, TimeUnit.SECONDS), "both items ran: " + ran);
            assertEquals(List.of("kworker/0 on CPU 0", "kworker/1 on CPU 1"), ran.stream().sorted().toList());
            eventually("both items counted", () -> workers.completed(0) >= 1 && workers.completed(1) >= 1);
            assertEquals(1, workers.completed(0), "counted once the item returned");
            assertEquals(1, workers.completed(1));
            assertTrue(kernel.scheduler.threads().contains(workers.thread(0)), "a scheduler thread, listed");
        }
    }

    @Test
    void anItemMayBlockAndHoldsUpOnlyItsOwnCpusLaterItems() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2);
                KernelWorkers workers = new KernelWorkers(kernel.scheduler)) {
            WaitQueue gate = new WaitQueue("gate");
            AtomicBoolean open = new AtomicBoolean();
            List<String> order = new CopyOnWriteArrayList<>();
            CountDownLatch otherCpu = new CountDownLatch(1);
            CountDownLatch all = new CountDownLatch(2);
            workers.submit(0, () -> {
                gate.await(open::get);
                order.add("first");
                all.countDown();
            });
            workers.submit(0, () -> {
                order.add("second");
                all.countDown();
            });
            workers.submit(1, otherCpu::countDown);

            assertTrue(otherCpu.await(WAIT_SECONDS, TimeUnit.SECONDS), "CPU 1's worker runs while CPU 0's waits");
            assertEquals(List.of(), order, "CPU 0's second item waits for its first");
            eventually("a waiting item blocks its worker, which holds no vCPU",
                    () -> workers.thread(0).state() == KernelThread.State.BLOCKED);
            open.set(true);
            gate.wakeAll();
            assertTrue(all.await(WAIT_SECONDS, TimeUnit.SECONDS), "both items ran once the gate opened: " + order);
            assertEquals(List.of("first", "second"), order);
        }
    }

    @Test
    void aFailingItemIsCountedAndTheWorkerGoesOn() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.RISCV64, 1);
                KernelWorkers workers = new KernelWorkers(kernel.scheduler)) {
            CountDownLatch after = new CountDownLatch(1);
            workers.submit(0, () -> {
                throw new IllegalStateException("a broken work item");
            });
            workers.submit(0, after::countDown);
            assertTrue(after.await(WAIT_SECONDS, TimeUnit.SECONDS), "the item after the failing one ran");
            eventually("both items counted", () -> workers.completed(0) >= 2);
            assertEquals(2, workers.completed(0));
            assertEquals(1, workers.failed(0));
            eventually("the worker waits for more", () -> workers.thread(0).state() == KernelThread.State.BLOCKED);
        }
    }

    @Test
    void aKernelTimersActionHandsBlockingWorkToAWorker() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.PPC64, 2);
                KernelWorkers workers = new KernelWorkers(kernel.scheduler)) {
            CountDownLatch slept = new CountDownLatch(1);
            new KernelTimerService(kernel.scheduler).oneShot(1, Duration.ofMillis(1), () -> workers.submit(1, () -> {
                KernelThread.sleep(Duration.ofMillis(2));
                slept.countDown();
            }));
            assertTrue(slept.await(WAIT_SECONDS, TimeUnit.SECONDS), "the worker slept for the timer's action");
        }
    }

    @Test
    void badCpusAndStoppedWorkersAreRefusedAndStoppingFinishesQueuedWork() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            KernelWorkers workers = new KernelWorkers(kernel.scheduler);
            IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                    () -> workers.submit(2, () -> { }));
            assertEquals("CPU 2 does not exist (CPUs are 0..1)", bad.getMessage());
            assertThrows(IllegalArgumentException.class, () -> workers.completed(-1));

            CountDownLatch queued = new CountDownLatch(3);
            for (int i = 0; i < 3; i++) {
                workers.submit(1, queued::countDown);
            }
            assertTrue(workers.stop(SchedulerOnMachine.WAIT), "the workers end once stopped");
            assertEquals(0, queued.getCount(), "work queued before the stop ran");
            assertEquals(KernelThread.State.DEAD, workers.thread(0).state());
            IllegalStateException stopped = assertThrows(IllegalStateException.class,
                    () -> workers.submit(0, () -> { }));
            assertEquals("work for kworker/0: the kernel's workers have stopped", stopped.getMessage());
            assertFalse(kernel.scheduler.threads().contains(workers.thread(1)), "ended threads leave the list");
        }
    }
}
