package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.KernelThread.State;
import org.astralisp.kernel.api.sched.KernelTimer;
import org.astralisp.kernel.api.sched.KernelTimers;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sleep, kernel timers and timed waits on each vCPU's timer queue, multiplexed with the time slice. */
@Timeout(60)
class KernelTimersTest {

    private static final long MS = 1_000_000L;

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aSleepingThreadBlocksAtLeastItsDurationWhileItsVcpuRunsAnother(Architecture architecture)
            throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 1)) {
            KernelTimers timers = new KernelTimerService(kernel.scheduler);
            AtomicLong slept = new AtomicLong();
            KernelThread sleeper = kernel.start(0, "sleeper", () -> {
                long start = timers.now();
                KernelThread.sleep(Duration.ofMillis(50));
                slept.set(timers.now() - start);
            });
            eventually("the sleeper blocks", () -> sleeper.state() == State.BLOCKED);
            AtomicLong work = new AtomicLong();
            KernelThread other = kernel.start(0, "other", () -> {
                for (int i = 0; i < 1000; i++) {
                    work.incrementAndGet();
                    Safepoint.poll();
                }
            });
            awaitEnd(other);
            awaitEnd(sleeper);
            assertNull(sleeper.failure());
            assertEquals(1000, work.get());
            assertTrue(slept.get() >= 50 * MS, "slept " + slept.get() + " ns, less than 50 ms");
            assertTrue(sleeper.cpuTime().toMillis() < 50, "a sleeper is not running: it ran " + sleeper.cpuTime());
        }
    }

    @Test
    void sleepRefusesANegativeDurationAndACallerThatIsNoKernelThread() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            AtomicReference<Throwable> negative = new AtomicReference<>();
            AtomicBoolean zeroReturned = new AtomicBoolean();
            KernelThread thread = kernel.start(0, "t", () -> {
                KernelThread.sleep(Duration.ZERO);
                zeroReturned.set(true);
                try {
                    KernelThread.sleep(Duration.ofMillis(-1));
                } catch (IllegalArgumentException e) {
                    negative.set(e);
                }
            });
            awaitEnd(thread);
            assertTrue(zeroReturned.get());
            assertEquals("sleep: timeout PT-0.001S is negative", negative.get().getMessage());
            assertTrue(assertThrows(IllegalStateException.class, () -> KernelThread.sleep(Duration.ofMillis(1)))
                    .getMessage().contains("not a kernel thread"));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aOneShotTimerRunsOnceOnItsCpuAsDeferredWorkNeverEarly(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 2)) {
            KernelTimers timers = new KernelTimerService(kernel.scheduler);
            Thread vcpu1 = kernel.vcpuThread(1);
            AtomicInteger calls = new AtomicInteger();
            AtomicLong calledAt = new AtomicLong();
            AtomicReference<Thread> calledOn = new AtomicReference<>();
            AtomicReference<Throwable> blocking = new AtomicReference<>();
            long start = timers.now();
            KernelTimer timer = timers.oneShot(1, Duration.ofMillis(20), () -> {
                calledAt.set(timers.now());
                calledOn.set(Thread.currentThread());
                calls.incrementAndGet();
                try {
                    KernelThread.sleep(Duration.ofMillis(1));
                } catch (IllegalStateException e) {
                    blocking.set(e);
                }
            });
            eventually("the timer fires", () -> calls.get() == 1);
            Thread.sleep(50);
            assertEquals(1, calls.get(), "a one-shot timer fires once");
            assertEquals(1, timer.fired());
            assertEquals(0, timer.overruns());
            assertEquals(1, timer.cpu());
            assertSame(vcpu1, calledOn.get(), "armed from a host thread, it ran on CPU 1");
            assertTrue(calledAt.get() - start >= 20 * MS, "fired " + (calledAt.get() - start) + " ns after arming");
            assertInstanceOf(IllegalStateException.class, blocking.get(), "a timer's action runs outside any thread");
            assertFalse(timer.cancel(), "a one-shot timer that has run cannot be cancelled");
        }
    }

    @Test
    void aTimerArmedFromAnotherCpuReachesAVcpuBusyWithOneThreadAtItsSafepoints() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            KernelTimers timers = new KernelTimerService(kernel.scheduler);
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong spins = new AtomicLong();
            KernelThread spinner = kernel.start(1, "spinner", () -> {
                while (!stop.get()) {
                    spins.incrementAndGet();
                    Safepoint.poll();
                }
            });
            AtomicInteger calls = new AtomicInteger();
            try {
                eventually("the spinner runs", () -> spins.get() > 0);
                OnKernelThread.run(kernel, 0, "armer", () -> timers.oneShot(1, Duration.ofMillis(5), () -> {
                    calls.incrementAndGet();
                    stop.set(true);
                }));
                eventually("the timer fires on CPU 1 while its only thread runs", () -> calls.get() == 1);
            } finally {
                stop.set(true); // so that the spinner ends even if the timer did not fire
            }
            awaitEnd(spinner);
            assertEquals(1, calls.get());
            assertEquals(State.DEAD, spinner.state());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aPeriodicTimerFiresOncePerPeriodUntilCancelled(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 1)) {
            KernelTimers timers = new KernelTimerService(kernel.scheduler);
            long period = 5 * MS;
            List<Long> early = new ArrayList<>();
            AtomicInteger calls = new AtomicInteger();
            AtomicReference<KernelTimer> handle = new AtomicReference<>();
            long start = timers.now();
            KernelTimer timer = timers.periodic(0, Duration.ofNanos(period), () -> {
                KernelTimer self = handle.get();
                long elapsed = timers.now() - start;
                long periods = self == null ? calls.get() + 1 : self.fired() + self.overruns();
                if (elapsed < periods * period) {
                    synchronized (early) {
                        early.add(elapsed);
                    }
                }
                calls.incrementAndGet();
            });
            handle.set(timer);
            eventually("20 periods", () -> timer.fired() >= 20);
            assertTrue(timer.cancel());
            long firedAtCancel = timer.fired();
            long periodsAtCancel = timer.fired() + timer.overruns();
            long elapsedAtCancel = timers.now() - start;
            Thread.sleep(30);
            assertEquals(firedAtCancel, timer.fired(), "no call after cancel");
            assertEquals(firedAtCancel, calls.get());
            assertEquals(List.of(), early, "no call came before its period had passed");
            assertTrue(periodsAtCancel <= elapsedAtCancel / period,
                    periodsAtCancel + " periods counted in " + elapsedAtCancel + " ns");
            assertFalse(timer.cancel(), "cancelled already");
        }
    }

    @Test
    void cancelRacingExpiryEitherPreventsTheCallOrReportsItRan() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            KernelTimers timers = new KernelTimerService(kernel.scheduler);
            int count = 2000;
            AtomicInteger[] ran = new AtomicInteger[count];
            KernelTimer[] armed = new KernelTimer[count];
            for (int i = 0; i < count; i++) {
                AtomicInteger mine = new AtomicInteger();
                ran[i] = mine;
                armed[i] = timers.oneShot(i % 2, Duration.ofNanos((i % 50) * 20_000L), mine::incrementAndGet);
            }
            boolean[] prevented = new boolean[count];
            for (int i = count - 1; i >= 0; i--) {
                prevented[i] = armed[i].cancel();
            }
            for (int i = 0; i < count; i++) {
                int index = i;
                eventually("timer " + i + " ran or was prevented",
                        () -> prevented[index] || ran[index].get() == 1);
                assertEquals(prevented[i] ? 0 : 1, ran[i].get(), "timer " + i + " (cancel said " + prevented[i] + ")");
                assertEquals(prevented[i] ? 0 : 1, armed[i].fired());
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aTimedWaitTimesOutOrIsWokenAndReportsWhich(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 2)) {
            KernelTimers timers = new KernelTimerService(kernel.scheduler);
            WaitQueue queue = new WaitQueue("timed");
            AtomicReference<String> outcome = new AtomicReference<>();
            AtomicBoolean open = new AtomicBoolean();
            AtomicBoolean firstDone = new AtomicBoolean();
            KernelThread waiter = kernel.start(0, "waiter", () -> {
                long start = timers.now();
                boolean first = queue.await(queue.prepareToWait(), Duration.ofMillis(30));
                long waited = timers.now() - start;
                firstDone.set(true);
                boolean second = queue.await(queue.prepareToWait(), Duration.ofSeconds(10));
                boolean third = queue.await(open::get, Duration.ofMillis(1));
                outcome.set(first + " " + (waited >= 30 * MS) + " " + second + " " + third);
            });
            eventually("the first wait times out and the second waits",
                    () -> firstDone.get() && queue.waiting() == 1 && waiter.state() == State.BLOCKED);
            KernelThread waker = kernel.start(1, "waker", queue::wakeOne);
            awaitEnd(waker);
            awaitEnd(waiter);
            assertEquals("false true true false", outcome.get(), "timed out after >= 30 ms; woken; timed out");
            assertEquals(0, queue.waiting(), "a timed-out waiter left the queue");
        }
    }

    @Test
    void aWakeRacingATimeoutIsNeitherLostNorDoubled() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            WaitQueue queue = new WaitQueue("race");
            AtomicLong permits = new AtomicLong();
            AtomicLong taken = new AtomicLong();
            int rounds = 2000;
            KernelThread waiter = kernel.start(0, "waiter", () -> {
                while (taken.get() < rounds) {
                    if (queue.await(() -> permits.get() > taken.get(), Duration.ofNanos(50_000))) {
                        taken.incrementAndGet();
                    }
                }
            });
            KernelThread waker = kernel.start(1, "waker", () -> {
                for (int i = 0; i < rounds; i++) {
                    permits.incrementAndGet();
                    queue.wakeOne();
                    while (taken.get() <= i) {
                        Safepoint.poll();
                        Thread.onSpinWait();
                    }
                }
            });
            awaitEnd(waker);
            awaitEnd(waiter);
            assertEquals(rounds, taken.get());
            assertEquals(0, queue.waiting());
        }
    }

    @Test
    void timersAndTimedWaitsRefuseBadInput() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            KernelTimers timers = new KernelTimerService(kernel.scheduler);
            WaitQueue queue = new WaitQueue("q");
            assertEquals("one-shot kernel timer on CPU 0: timeout PT-0.001S is negative",
                    assertThrows(IllegalArgumentException.class,
                            () -> timers.oneShot(0, Duration.ofMillis(-1), () -> { })).getMessage());
            assertEquals("periodic kernel timer on CPU 0: period PT0S is not positive",
                    assertThrows(IllegalArgumentException.class,
                            () -> timers.periodic(0, Duration.ZERO, () -> { })).getMessage());
            assertTrue(assertThrows(IllegalArgumentException.class,
                    () -> timers.oneShot(3, Duration.ofMillis(1), () -> { })).getMessage()
                    .contains("CPU 3 does not exist"));
            assertEquals("wait queue q: await: timeout PT-1S is negative",
                    assertThrows(IllegalArgumentException.class,
                            () -> queue.await(queue.prepareToWait(), Duration.ofSeconds(-1))).getMessage());
            assertThrows(IllegalArgumentException.class, () -> queue.await(() -> true, Duration.ofSeconds(-1)));
            assertTrue(queue.await(() -> true, Duration.ZERO), "a condition that holds needs no kernel thread");
            assertThrows(IllegalStateException.class, () -> queue.await(() -> false, Duration.ZERO));
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aVcpuIdleAfterItsTimersFiredTakesNoTimerInterrupt(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 1)) {
            KernelTimers timers = new KernelTimerService(kernel.scheduler);
            AtomicInteger calls = new AtomicInteger();
            timers.oneShot(0, Duration.ofMillis(5), calls::incrementAndGet);
            KernelThread sleeper = kernel.start(0, "sleeper", () -> KernelThread.sleep(Duration.ofMillis(10)));
            KernelTimer cancelled = timers.oneShot(0, Duration.ofSeconds(5), calls::incrementAndGet);
            awaitEnd(sleeper);
            eventually("the one-shot fired", () -> calls.get() == 1);
            assertTrue(cancelled.cancel());
            VcpuExecutor executor = kernel.scheduler.executor(0);
            Thread.sleep(20);
            long ticks = executor.ticks();
            Thread.sleep(300);
            assertEquals(ticks, executor.ticks(), "no timer interrupt on an idle vCPU without timers");
            assertEquals(1, calls.get());
        }
    }
}
