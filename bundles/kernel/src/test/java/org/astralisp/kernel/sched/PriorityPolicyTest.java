package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.KernelThread.State;
import org.astralisp.kernel.api.sched.PriorityClass;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.api.sched.SchedulingAttributes;
import org.astralisp.kernel.api.sched.SchedulingPolicy;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The strict-priority policy on a real machine: classes in order, and wake-up preemption. */
@Timeout(60)
class PriorityPolicyTest {

    private static final SchedulingAttributes PINNED = SchedulingAttributes.DEFAULT
            .withAffinity(SchedulingAttributes.cpus(0));

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aRunnableHigherClassAlwaysRunsBeforeALowerOne(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 1, new PriorityPolicy())) {
            AtomicLong idleSpins = new AtomicLong();
            AtomicLong normalSpins = new AtomicLong();
            AtomicBoolean stopIdle = new AtomicBoolean();
            long[] seen = new long[4];
            KernelThread idle = kernel.start(0, "idle", PINNED.withPriority(PriorityClass.IDLE, 99), () -> {
                while (!stopIdle.get()) {
                    idleSpins.incrementAndGet();
                    Safepoint.poll();
                }
            });
            eventually("the idle thread runs", () -> idleSpins.get() > 0);
            AtomicBoolean rtStarted = new AtomicBoolean();
            KernelThread normal = kernel.start(0, "normal", PINNED, () -> {
                seen[0] = idleSpins.get();
                for (int i = 0; i < 200_000; i++) {
                    normalSpins.incrementAndGet();
                    if (i == 1000) {
                        rtStarted.set(true);
                        Safepoint.poll(); // the real-time thread is started now; it takes the vCPU here
                    }
                    Safepoint.poll();
                }
                seen[1] = idleSpins.get();
            });
            eventually("the normal thread asks for the real-time one", rtStarted::get);
            KernelThread realtime = kernel.start(0, "realtime", PINNED.withPriority(PriorityClass.REALTIME, 1),
                    () -> {
                        seen[2] = normalSpins.get();
                        for (int i = 0; i < 200_000; i++) {
                            Safepoint.poll();
                        }
                        seen[3] = normalSpins.get();
                    });
            awaitEnd(realtime);
            awaitEnd(normal);
            stopIdle.set(true);
            awaitEnd(idle);
            assertEquals(seen[0], seen[1], "the idle thread ran while the normal one was runnable");
            assertEquals(seen[2], seen[3], "the normal thread ran while the real-time one was runnable");
            assertEquals(200_000, normalSpins.get());
        }
    }

    /**
     * Four normal threads spin on one vCPU (the slice timer armed); a
     * real-time thread blocked on a wait queue is woken ten times from a host
     * thread. Each time it must be the next thread the vCPU switches to (two
     * switches at most: the running spinner's slice may end in between) and
     * run before a second slice tick. Under round robin, the same wake-up
     * waits behind the three queued spinners: the control that shows the
     * measure can fail.
     */
    @Test
    void aWokenRealTimeThreadRunsWithinOneTimeSlice() throws Exception {
        long[][] priority = wakeUps(new PriorityPolicy());
        long[][] roundRobin = wakeUps(new RoundRobinPolicy());
        System.out.println("wake-up of a real-time thread among 4 spinners, switches until it ran: priority "
                + Arrays.toString(priority[0]) + ", round robin " + Arrays.toString(roundRobin[0])
                + "; slice ticks: priority " + Arrays.toString(priority[1]));
        for (int round = 0; round < priority[0].length; round++) {
            assertTrue(priority[0][round] <= 2, "wake-up " + round + ": " + priority[0][round]
                    + " switches before the real-time thread ran");
            assertTrue(priority[1][round] <= 1, "wake-up " + round + ": " + priority[1][round]
                    + " slice ticks before the real-time thread ran");
            assertTrue(roundRobin[0][round] >= 3, "round robin control, wake-up " + round + ": "
                    + roundRobin[0][round] + " switches");
        }
    }

    /** Switches and slice ticks of vCPU 0 between each of 10 wake-ups and the woken thread running. */
    private static long[][] wakeUps(SchedulingPolicy policy) throws Exception {
        int rounds = 10;
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1, policy)) {
            VcpuExecutor cpu0 = kernel.scheduler.executor(0);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger spinning = new AtomicInteger();
            List<KernelThread> spinners = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                spinners.add(kernel.start(0, "spinner-" + i, PINNED, () -> {
                    spinning.incrementAndGet();
                    while (!stop.get()) {
                        Safepoint.poll();
                    }
                }));
            }
            eventually("all four spinners run", () -> spinning.get() == 4);
            WaitQueue door = new WaitQueue("door");
            AtomicInteger opened = new AtomicInteger();
            AtomicLongArray switchesAt = new AtomicLongArray(rounds);
            AtomicLongArray ticksAt = new AtomicLongArray(rounds);
            KernelThread realtime = kernel.start(0, "realtime",
                    PINNED.withPriority(PriorityClass.REALTIME, 50), () -> {
                        for (int round = 0; round < rounds; round++) {
                            int me = round;
                            door.await(() -> opened.get() > me);
                            switchesAt.set(round, cpu0.switches());
                            ticksAt.set(round, cpu0.ticks());
                        }
                    });
            long[][] deltas = new long[2][rounds];
            for (int round = 0; round < rounds; round++) {
                int me = round;
                eventually("the real-time thread waits for wake-up " + round,
                        () -> realtime.state() == State.BLOCKED && door.waiting() == 1);
                Thread.sleep(15);
                long switches = cpu0.switches();
                long ticks = cpu0.ticks();
                opened.incrementAndGet();
                door.wakeOne();
                eventually("the real-time thread runs after wake-up " + round, () -> switchesAt.get(me) != 0);
                deltas[0][round] = switchesAt.get(round) - switches;
                deltas[1][round] = ticksAt.get(round) - ticks;
            }
            awaitEnd(realtime);
            stop.set(true);
            for (KernelThread spinner : spinners) {
                awaitEnd(spinner);
            }
            return deltas;
        }
    }
}
