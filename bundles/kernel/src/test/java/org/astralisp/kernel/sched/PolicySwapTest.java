package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.PriorityClass;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.api.sched.SchedulingAttributes;
import org.astralisp.kernel.api.sched.UnknownPolicyException;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Swapping the policy while threads run, block and wake loses none of them. */
@Timeout(120)
class PolicySwapTest {

    private static final int THREADS = 8;
    private static final int ROUNDS = 300;

    @Test
    void swappingPolicyRepeatedlyUnderLoadLosesNoThread() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2, new RoundRobinPolicy())) {
            WaitQueue clock = new WaitQueue("clock");
            AtomicLong time = new AtomicLong();
            AtomicBoolean stopClock = new AtomicBoolean();
            Thread ticker = Thread.ofPlatform().name("clock").start(() -> {
                while (!stopClock.get()) {
                    time.incrementAndGet();
                    clock.wakeAll();
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
            SchedulingAttributes[] kinds = {
                SchedulingAttributes.DEFAULT,
                SchedulingAttributes.DEFAULT.withNice(10),
                SchedulingAttributes.DEFAULT.withPriority(PriorityClass.REALTIME, 10),
                SchedulingAttributes.DEFAULT.withPriority(PriorityClass.IDLE, 0),
            };
            AtomicLongArray rounds = new AtomicLongArray(THREADS);
            List<KernelThread> threads = new ArrayList<>();
            for (int i = 0; i < THREADS; i++) {
                int me = i;
                threads.add(kernel.start("worker-" + i, kinds[i % kinds.length], () -> {
                    for (int round = 0; round < ROUNDS; round++) {
                        for (int spin = 0; spin < 20_000; spin++) {
                            Safepoint.poll();
                        }
                        long now = time.get();
                        clock.await(() -> time.get() > now);
                        rounds.incrementAndGet(me);
                    }
                }));
            }
            String[] cycle = {"priority", "fair", "rr"};
            int swaps = 0;
            long cpuAtFirstSwap = -1;
            while (threads.stream().anyMatch(t -> t.state() != KernelThread.State.DEAD) && swaps < 100_000) {
                kernel.scheduler.setPolicy(cycle[swaps % cycle.length]);
                if (swaps == 0) {
                    cpuAtFirstSwap = totalCpu(threads);
                }
                swaps++;
                Thread.sleep(2);
            }
            for (KernelThread thread : threads) {
                awaitEnd(thread);
            }
            stopClock.set(true);
            ticker.join();
            for (int i = 0; i < THREADS; i++) {
                assertEquals(ROUNDS, rounds.get(i), threads.get(i) + " finished its rounds");
                assertTrue(threads.get(i).cpuTime().toNanos() > 0, threads.get(i) + " was accounted CPU time");
            }
            System.out.println("policy swap under load: " + swaps + " swaps while " + THREADS + " threads ran "
                    + ROUNDS + " rounds each");
            assertTrue(swaps >= 30, "only " + swaps + " swaps happened while the threads ran");
            assertTrue(totalCpu(threads) > cpuAtFirstSwap, "CPU time went on after the swaps began");
            assertEquals(List.of(), kernel.scheduler.threads(), "every thread ended and left the list");
            assertEquals(cycle[(swaps - 1) % cycle.length], kernel.scheduler.policy());
        }
    }

    private static long totalCpu(List<KernelThread> threads) {
        return threads.stream().mapToLong(t -> t.cpuTime().toNanos()).sum();
    }

    @Test
    void anUnknownPolicyIsRefusedNamingTheValidOnesAndChangesNothing() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1, new FairSharePolicy())) {
            UnknownPolicyException e = assertThrows(UnknownPolicyException.class,
                    () -> kernel.scheduler.setPolicy("lottery"));
            assertEquals("no scheduling policy 'lottery' (policies: fair, priority, rr)", e.getMessage());
            assertEquals("lottery", e.policy());
            assertEquals(List.of("fair", "priority", "rr"), e.valid());
            assertEquals("fair", kernel.scheduler.policy());
        }
    }

    @Test
    void removingThePolicyInUseSwapsToARemainingOne() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1, new RoundRobinPolicy())) {
            FairSharePolicy fair = new FairSharePolicy();
            kernel.scheduler.addPolicy(fair);
            kernel.scheduler.setPolicy("fair");
            KernelThread spinner = kernel.start(0, "spinner", () -> {
                for (int i = 0; i < 100_000; i++) {
                    Safepoint.poll();
                }
            });
            kernel.scheduler.removePolicy(fair);
            assertEquals("priority", kernel.scheduler.policy(), "the first remaining by name");
            assertEquals(List.of("priority", "rr"), kernel.scheduler.policies());
            awaitEnd(spinner);
        }
    }
}
