package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.KernelThread.State;
import org.astralisp.kernel.api.sync.Semaphore;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link Semaphore}: counting, waiting parked, releases from anywhere, bad input. */
@Timeout(60)
class SemaphoreTest {

    @Test
    void atMostItsPermitsOfThreadsAreInsideAtOnce() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            Semaphore slots = new Semaphore("slots", 2);
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            List<KernelThread> threads = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                threads.add(kernel.start(i % 2, "user" + i, () -> {
                    for (int round = 0; round < 20; round++) {
                        slots.acquire();
                        try {
                            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            KernelThread.sleep(Duration.ofMillis(1));
                            inside.decrementAndGet();
                        } finally {
                            slots.release();
                        }
                    }
                }));
            }
            for (KernelThread thread : threads) {
                awaitEnd(thread);
                OnKernelThread.ended(thread);
            }
            assertTrue(most.get() <= 2, most.get() + " threads inside at once with 2 permits");
            assertEquals(2, most.get(), "two sleepers with a permit each overlap");
            assertEquals(2, slots.available());
        }
    }

    @Test
    void aReleaseFromAHostThreadWakesAWaiterThatHoldsNoVcpu() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            Semaphore signal = new Semaphore("signal", 0);
            KernelThread waiter = kernel.start(0, "waiter", signal::acquire);
            eventually("the waiter blocks", () -> waiter.state() == State.BLOCKED && signal.waiting() == 1);
            signal.release();
            awaitEnd(waiter);
            assertEquals(0, signal.available());
            assertTrue(assertThrows(IllegalStateException.class, signal::acquire).getMessage()
                    .contains("not a kernel thread"), "a host thread cannot wait");
            signal.release(3);
            assertTrue(signal.tryAcquire());
            assertEquals(2, signal.available());
        }
    }

    @Test
    void aTimedAcquireTimesOutWithoutAPermitAndTakesOneThatComesInTime() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            Semaphore semaphore = new Semaphore("s", 0);
            OnKernelThread.run(kernel, 0, "timed", () -> {
                assertFalse(semaphore.tryAcquire(Duration.ofMillis(20)));
                assertFalse(semaphore.tryAcquire(Duration.ZERO));
                kernel.start(1, "releaser", () -> {
                    KernelThread.sleep(Duration.ofMillis(5));
                    semaphore.release();
                });
                assertTrue(semaphore.tryAcquire(Duration.ofSeconds(10)));
            });
            assertEquals(0, semaphore.available());
        }
    }

    @Test
    void badCountsAndTimeoutsAreRefusedAndChangeNothing() {
        assertEquals("semaphore s: -1 initial permits is negative",
                assertThrows(IllegalArgumentException.class, () -> new Semaphore("s", -1)).getMessage());
        Semaphore semaphore = new Semaphore("s", Integer.MAX_VALUE - 1);
        assertEquals("semaphore s: release of 0 permits; the count must be positive",
                assertThrows(IllegalArgumentException.class, () -> semaphore.release(0)).getMessage());
        assertEquals("semaphore s: release of 2 permits to 2147483646 would exceed 2147483647",
                assertThrows(IllegalArgumentException.class, () -> semaphore.release(2)).getMessage());
        assertEquals("semaphore s: tryAcquire: timeout PT-1S is negative", assertThrows(
                IllegalArgumentException.class, () -> semaphore.tryAcquire(Duration.ofSeconds(-1))).getMessage());
        assertEquals(Integer.MAX_VALUE - 1, semaphore.available());
        assertEquals("s", semaphore.name());
    }
}
