package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.api.sync.Mutex;
import org.astralisp.kernel.api.sync.MutexNotOwnedException;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Mutex}: exclusion, blocking without a vCPU, its owner, and its misuse. */
@Timeout(60)
class MutexTest {

    /** A kernel thread on CPU 0 that holds {@code mutex} until {@code release}; returns once it holds it. */
    private static KernelThread holder(SchedulerOnMachine kernel, Mutex mutex, AtomicBoolean release)
            throws InterruptedException {
        KernelThread holder = kernel.start(0, "holder", () -> {
            mutex.lock();
            while (!release.get()) {
                KernelThread.sleep(Duration.ofMillis(1));
            }
            mutex.unlock();
        });
        eventually("the holder locks", () -> mutex.owner() == holder);
        return holder;
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void fourThreadsOnTwoVcpusNeverOverlapInsideAndLoseNoIncrement(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 2)) {
            Mutex mutex = new Mutex("counter");
            long[] counter = new long[1];
            AtomicInteger inside = new AtomicInteger();
            AtomicInteger overlaps = new AtomicInteger();
            List<KernelThread> threads = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                threads.add(kernel.start(i % 2, "incrementer" + i, () -> {
                    for (int step = 0; step < 5_000; step++) {
                        mutex.lock();
                        try {
                            if (inside.incrementAndGet() != 1) {
                                overlaps.incrementAndGet();
                            }
                            counter[0]++;
                            Safepoint.poll(); // a preemption inside the critical section is allowed
                            inside.decrementAndGet();
                        } finally {
                            mutex.unlock();
                        }
                    }
                }));
            }
            for (KernelThread thread : threads) {
                awaitEnd(thread);
                OnKernelThread.ended(thread);
            }
            assertEquals(20_000, counter[0]);
            assertEquals(0, overlaps.get());
            assertNull(mutex.owner());
            assertEquals(0, mutex.waiting());
        }
    }

    @Test
    void aThreadWaitingForTheMutexHoldsNoVcpuAndGetsItAtUnlock() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            Mutex mutex = new Mutex("m");
            AtomicBoolean release = new AtomicBoolean();
            AtomicReference<KernelThread> ownerSeenByWaiter = new AtomicReference<>();
            KernelThread holder = holder(kernel, mutex, release);
            KernelThread waiter = kernel.start(0, "waiter", () -> {
                mutex.lock();
                ownerSeenByWaiter.set(mutex.owner());
                assertTrue(mutex.isHeldByCurrentThread());
                mutex.unlock();
            });
            eventually("the waiter blocks", () -> waiter.state() == State.BLOCKED && mutex.waiting() == 1);
            AtomicLong work = new AtomicLong();
            OnKernelThread.run(kernel, 0, "other", () -> {
                for (int i = 0; i < 100; i++) {
                    work.incrementAndGet();
                    KernelThread.yield();
                }
            });
            assertEquals(100, work.get(), "CPU 0 ran another thread while the waiter waited");
            release.set(true);
            awaitEnd(holder);
            awaitEnd(waiter);
            OnKernelThread.ended(waiter);
            assertSame(waiter, ownerSeenByWaiter.get());
            assertFalse(mutex.isHeldByCurrentThread());
        }
    }

    @Test
    void unlockByAThreadThatDoesNotHoldItIsRefusedAndChangesNothing() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            Mutex mutex = new Mutex("m");
            AtomicBoolean release = new AtomicBoolean();
            KernelThread holder = holder(kernel, mutex, release);
            OnKernelThread.run(kernel, 1, "intruder", () -> {
                MutexNotOwnedException refused = assertThrows(MutexNotOwnedException.class, mutex::unlock);
                assertTrue(refused.getMessage().startsWith("mutex m: unlock by kernel thread 'intruder' on CPU 1"
                        + " (RUNNING), which does not hold it (held by kernel thread 'holder' on CPU 0 ("),
                        refused.getMessage());
                assertFalse(mutex.tryLock(), "still held by the holder");
            });
            assertSame(holder, mutex.owner());
            assertTrue(assertThrows(MutexNotOwnedException.class, mutex::unlock).getMessage()
                    .contains("unlock by thread '"));
            release.set(true);
            awaitEnd(holder);
            OnKernelThread.run(kernel, 1, "late", () -> assertEquals("mutex m: unlock by kernel thread 'late' on CPU 1"
                    + " (RUNNING), which does not hold it (held by nobody)",
                    assertThrows(MutexNotOwnedException.class, mutex::unlock).getMessage()));
        }
    }

    @Test
    void itIsNotReentrantAndNotForHostThreads() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            Mutex mutex = new Mutex("m");
            OnKernelThread.run(kernel, 0, "twice", () -> {
                mutex.lock();
                assertEquals("mutex m: kernel thread 'twice' on CPU 0 (RUNNING) locks it again; mutexes are not"
                        + " reentrant", assertThrows(IllegalStateException.class, mutex::lock).getMessage());
                assertThrows(IllegalStateException.class, mutex::tryLock);
                assertThrows(IllegalStateException.class, () -> mutex.tryLock(Duration.ofMillis(1)));
                mutex.unlock();
            });
            assertTrue(assertThrows(IllegalStateException.class, mutex::lock).getMessage()
                    .contains("which is not a kernel thread"));
            assertNull(mutex.owner());
            assertEquals("m", mutex.name());
        }
    }

    @Test
    void aTimedLockTimesOutWhileHeldAndSucceedsWhenReleasedInTime() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            Mutex mutex = new Mutex("m");
            AtomicBoolean release = new AtomicBoolean();
            KernelThread holder = holder(kernel, mutex, release);
            OnKernelThread.run(kernel, 1, "impatient", () -> {
                assertFalse(mutex.tryLock(Duration.ofMillis(20)));
                assertFalse(mutex.tryLock(Duration.ZERO));
                assertEquals("mutex m: tryLock: timeout PT-0.001S is negative", assertThrows(
                        IllegalArgumentException.class, () -> mutex.tryLock(Duration.ofMillis(-1))).getMessage());
                release.set(true);
                assertTrue(mutex.tryLock(Duration.ofSeconds(10)));
                mutex.unlock();
            });
            awaitEnd(holder);
        }
    }
}
