package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.kernel.api.sched.KernelThread.State;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.Safepoint;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Kernel threads on the vCPUs of real machines: where they run, preemption, blocking, idling. */
@Timeout(60)
class SchedulerTest {

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void threadsRunOnlyOnTheirVcpusOwnThread(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 2)) {
            Thread[] vcpus = {kernel.vcpuThread(0), kernel.vcpuThread(1)};
            Set<String> wrong = ConcurrentHashMap.newKeySet();
            AtomicLong steps = new AtomicLong();
            List<KernelThread> threads = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                int cpu = i % 2;
                threads.add(kernel.start(cpu, "t" + i, () -> {
                    for (int step = 0; step < 100; step++) {
                        if (Thread.currentThread() != vcpus[cpu]) {
                            wrong.add(KernelThread.current().name() + " on " + Thread.currentThread().getName());
                        }
                        steps.incrementAndGet();
                        KernelThread.yield();
                    }
                }));
            }
            for (KernelThread thread : threads) {
                awaitEnd(thread);
                assertEquals(State.DEAD, thread.state());
                assertNull(thread.failure());
            }
            assertEquals(Set.of(), wrong, "every step of every thread ran on its vCPU's host thread");
            assertEquals(600, steps.get());
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void twoCpuBoundThreadsOnOneVcpuBothRunByPreemptionAtSafepoints(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 1)) {
            AtomicBoolean stop = new AtomicBoolean();
            long[] spins = new long[2];
            List<KernelThread> threads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                int me = i;
                threads.add(kernel.start(0, "spinner" + i, () -> {
                    while (!stop.get()) {
                        spins[me]++;
                        Safepoint.poll();
                    }
                }));
            }
            Thread.sleep(1000);
            stop.set(true);
            for (KernelThread thread : threads) {
                awaitEnd(thread);
            }
            VcpuExecutor executor = kernel.scheduler.executor(0);
            for (KernelThread thread : threads) {
                assertTrue(thread.cpuTime().toMillis() >= 300, thread + " ran " + thread.cpuTime().toMillis()
                        + " ms of the second, less than 30 % (the other: " + threads + ")");
            }
            assertTrue(spins[0] > 0 && spins[1] > 0);
            assertTrue(executor.ticks() >= 20, "the 10 ms slice timer ticked " + executor.ticks() + " times");
            assertTrue(executor.switches() >= 20, "only " + executor.switches() + " switches in a second");
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aBlockedThreadHoldsNoVcpuAndAWakeFromAnyThreadResumesIt(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 2)) {
            WaitQueue queue = new WaitQueue("door");
            AtomicBoolean open = new AtomicBoolean();
            AtomicLong passed = new AtomicLong();
            KernelThread waiter = kernel.start(0, "waiter", () -> {
                queue.await(open::get);
                passed.incrementAndGet();
            });
            eventually("the waiter blocks", () -> waiter.state() == State.BLOCKED && queue.waiting() == 1);
            AtomicLong work = new AtomicLong();
            KernelThread other = kernel.start(0, "other", () -> {
                for (int i = 0; i < 1000; i++) {
                    work.incrementAndGet();
                    Safepoint.poll();
                }
            });
            awaitEnd(other);
            assertEquals(1000, work.get(), "the other thread ran on CPU 0 while the waiter was blocked");
            assertEquals(State.BLOCKED, waiter.state());

            open.set(true);
            queue.wakeOne(); // from the test's thread, no vCPU
            awaitEnd(waiter);
            assertEquals(1, passed.get());

            open.set(false);
            KernelThread second = kernel.start(0, "second waiter", () -> {
                queue.await(open::get);
                passed.incrementAndGet();
            });
            eventually("the second waiter blocks", () -> second.state() == State.BLOCKED);
            KernelThread waker = kernel.start(1, "waker on CPU 1", () -> {
                open.set(true);
                queue.wakeAll();
            });
            awaitEnd(waker);
            awaitEnd(second);
            assertEquals(2, passed.get());
        }
    }

    /** A bounded buffer over two wait queues: the classic handoff whose lost wake-up would hang. */
    static final class BoundedBuffer {
        private final long[] slots;
        private final java.util.concurrent.locks.ReentrantLock lock = new java.util.concurrent.locks.ReentrantLock();
        private final WaitQueue notEmpty = new WaitQueue("not empty");
        private final WaitQueue notFull = new WaitQueue("not full");
        private int head;
        private int count;

        BoundedBuffer(int capacity) {
            slots = new long[capacity];
        }

        void put(long value) {
            while (true) {
                long ticket = notFull.prepareToWait();
                lock.lock();
                try {
                    if (count < slots.length) {
                        slots[(head + count) % slots.length] = value;
                        count++;
                        break;
                    }
                } finally {
                    lock.unlock();
                }
                notFull.await(ticket);
            }
            notEmpty.wakeOne();
        }

        long take() {
            long value;
            while (true) {
                long ticket = notEmpty.prepareToWait();
                lock.lock();
                try {
                    if (count > 0) {
                        value = slots[head];
                        head = (head + 1) % slots.length;
                        count--;
                        break;
                    }
                } finally {
                    lock.unlock();
                }
                notEmpty.await(ticket);
            }
            notFull.wakeOne();
            return value;
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void aHundredThousandHandoffsOverABoundedBufferLoseNoWakeUp(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 2)) {
            int items = 100_000;
            for (int[] cpus : new int[][] {{0, 1}, {0, 0}}) {
                BoundedBuffer buffer = new BoundedBuffer(4);
                AtomicLong sum = new AtomicLong();
                AtomicLong outOfOrder = new AtomicLong();
                long start = System.nanoTime();
                KernelThread consumer = kernel.start(cpus[1], "consumer", () -> {
                    long expected = 0;
                    for (int i = 0; i < items; i++) {
                        long value = buffer.take();
                        if (value != expected++) {
                            outOfOrder.incrementAndGet();
                        }
                        sum.addAndGet(value);
                    }
                });
                KernelThread producer = kernel.start(cpus[0], "producer", () -> {
                    for (long i = 0; i < items; i++) {
                        buffer.put(i);
                        Safepoint.poll();
                    }
                });
                awaitEnd(producer);
                awaitEnd(consumer);
                long millis = (System.nanoTime() - start) / 1_000_000;
                assertEquals((long) items * (items - 1) / 2, sum.get(), "CPUs " + cpus[0] + " -> " + cpus[1]);
                assertEquals(0, outOfOrder.get());
                assertTrue(millis < 10_000, items + " handoffs took " + millis + " ms");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Architecture.class)
    void anIdleVcpuHaltsWithItsTimerOff(Architecture architecture) throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(architecture, 1)) {
            AtomicBoolean stop = new AtomicBoolean();
            List<KernelThread> threads = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                threads.add(kernel.start(0, "spinner" + i, () -> {
                    while (!stop.get()) {
                        Safepoint.poll();
                    }
                }));
            }
            VcpuExecutor executor = kernel.scheduler.executor(0);
            eventually("the slice timer ticks", () -> executor.ticks() >= 2);
            stop.set(true);
            for (KernelThread thread : threads) {
                awaitEnd(thread);
            }
            Thread vcpu = executor.vcpuThread();
            eventually("vcpu0 halts", () -> vcpu.getState() == Thread.State.WAITING
                    || vcpu.getState() == Thread.State.TIMED_WAITING);
            Thread.sleep(20);
            long ticks = executor.ticks();
            ThreadMXBean host = ManagementFactory.getThreadMXBean();
            long cpuBefore = host.getThreadCpuTime(vcpu.threadId());
            Thread.sleep(300);
            long cpuNanos = host.getThreadCpuTime(vcpu.threadId()) - cpuBefore;
            assertEquals(ticks, executor.ticks(), "no tick while idle");
            assertTrue(cpuNanos < 30_000_000L, "the idle vCPU used " + cpuNanos / 1000 + " µs of CPU in 300 ms");
            assertTrue(vcpu.getState() == Thread.State.WAITING || vcpu.getState() == Thread.State.TIMED_WAITING,
                    "vcpu0 is " + vcpu.getState());
        }
    }

    @Test
    void aThreadWhoseBodyThrowsEndsDeadWithItsFailure() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            KernelThread thread = kernel.start(0, "faulty", () -> {
                throw new IllegalArgumentException("bad input 42");
            });
            awaitEnd(thread);
            assertEquals(State.DEAD, thread.state());
            assertEquals("bad input 42", thread.failure().getMessage());
            assertEquals("kernel thread 'faulty' on CPU 0 (DEAD)", thread.toString());
        }
    }

    @Test
    void lifeCycleAndMisuseAreRefusedWithReasons() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            WaitQueue queue = new WaitQueue("q");
            KernelThread fresh = kernel.scheduler.thread(0, "fresh", () -> { });
            assertEquals(State.NEW, fresh.state());
            fresh.start();
            assertThrows(IllegalStateException.class, fresh::start);
            awaitEnd(fresh);

            Safepoint.poll(); // nothing on a thread that is no vCPU
            assertNull(KernelThread.current());
            assertTrue(assertThrows(IllegalStateException.class, KernelThread::yield).getMessage()
                    .contains("not a kernel thread"));
            assertTrue(assertThrows(IllegalStateException.class, () -> queue.await(queue.prepareToWait()))
                    .getMessage().contains("wait queue q: await from thread"));
            assertThrows(IllegalArgumentException.class, () -> kernel.scheduler.thread(1, "x", () -> { }));

            AtomicReference<Throwable> joinFromVcpu = new AtomicReference<>();
            AtomicReference<KernelThread> self = new AtomicReference<>();
            KernelThread joiner = kernel.start(0, "joiner", () -> {
                self.set(KernelThread.current());
                try {
                    fresh.join(Duration.ofMillis(1));
                } catch (IllegalStateException | InterruptedException e) {
                    joinFromVcpu.set(e);
                }
            });
            awaitEnd(joiner);
            assertSame(joiner, self.get());
            assertInstanceOf(IllegalStateException.class, joinFromVcpu.get());
            assertEquals(0, queue.waiting());
            assertEquals("q", queue.name());
        }
    }
}
