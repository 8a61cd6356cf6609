package org.astralisp.kernel.sched;

import static org.astralisp.kernel.sched.SchedulerOnMachine.awaitEnd;
import static org.astralisp.kernel.testing.Eventually.eventually;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sync.ConditionVariable;
import org.astralisp.kernel.api.sync.Mutex;
import org.astralisp.kernel.api.sync.MutexNotOwnedException;
import org.astralisp.machine.Architecture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link ConditionVariable} with its {@link Mutex}: the monitor pattern, signal, broadcast, misuse. */
@Timeout(60)
class ConditionVariableTest {

    @Test
    void aBoundedBufferOverAMutexAndTwoConditionsHandsOverEveryItemInOrder() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 2)) {
            Mutex mutex = new Mutex("buffer");
            ConditionVariable notEmpty = new ConditionVariable("not empty", mutex);
            ConditionVariable notFull = new ConditionVariable("not full", mutex);
            ArrayDeque<Integer> buffer = new ArrayDeque<>();
            int items = 20_000;
            AtomicLong outOfOrder = new AtomicLong();
            KernelThread consumer = kernel.start(1, "consumer", () -> {
                for (int expected = 0; expected < items; expected++) {
                    mutex.lock();
                    try {
                        while (buffer.isEmpty()) {
                            notEmpty.await();
                        }
                        if (buffer.poll() != expected) {
                            outOfOrder.incrementAndGet();
                        }
                        notFull.signal();
                    } finally {
                        mutex.unlock();
                    }
                }
            });
            KernelThread producer = kernel.start(0, "producer", () -> {
                for (int i = 0; i < items; i++) {
                    mutex.lock();
                    try {
                        while (buffer.size() == 4) {
                            notFull.await();
                        }
                        buffer.add(i);
                        notEmpty.signal();
                    } finally {
                        mutex.unlock();
                    }
                }
            });
            awaitEnd(producer);
            awaitEnd(consumer);
            OnKernelThread.ended(producer);
            OnKernelThread.ended(consumer);
            assertEquals(0, outOfOrder.get());
            assertTrue(buffer.isEmpty());
        }
    }

    @Test
    void signalWakesTheLongestWaiterAndBroadcastTheRest() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            Mutex mutex = new Mutex("m");
            ConditionVariable changed = new ConditionVariable("changed", mutex);
            int[] generation = {0};
            StringBuffer woke = new StringBuffer();
            List<KernelThread> waiters = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                String name = "w" + i;
                int needed = i == 0 ? 1 : 2;
                waiters.add(kernel.start(0, name, () -> {
                    mutex.lock();
                    try {
                        while (generation[0] < needed) {
                            changed.await();
                        }
                        assertTrue(mutex.isHeldByCurrentThread(), "await returns holding the mutex");
                        woke.append(name).append(' ');
                    } finally {
                        mutex.unlock();
                    }
                }));
                int count = i + 1;
                eventually(name + " waits", () -> changed.waiting() == count);
            }
            OnKernelThread.run(kernel, 0, "signaller", () -> {
                mutex.lock();
                generation[0] = 1;
                changed.signal();
                mutex.unlock();
            });
            awaitEnd(waiters.get(0));
            assertEquals("w0 ", woke.toString());
            assertEquals(2, changed.waiting());
            OnKernelThread.run(kernel, 0, "broadcaster", () -> {
                mutex.lock();
                generation[0] = 2;
                changed.broadcast();
                mutex.unlock();
            });
            awaitEnd(waiters.get(1));
            awaitEnd(waiters.get(2));
            assertEquals("w0 w1 w2 ", woke.toString());
        }
    }

    @Test
    void aTimedAwaitTimesOutHoldingTheMutexAgainAndMisuseIsRefused() throws Exception {
        try (SchedulerOnMachine kernel = new SchedulerOnMachine(Architecture.X86_64, 1)) {
            Mutex mutex = new Mutex("m");
            ConditionVariable condition = new ConditionVariable("c", mutex);
            AtomicInteger checks = new AtomicInteger();
            OnKernelThread.run(kernel, 0, "t", () -> {
                MutexNotOwnedException notHeld = assertThrows(MutexNotOwnedException.class, condition::await);
                assertEquals("mutex m: condition c: await by kernel thread 't' on CPU 0 (RUNNING), which does not"
                        + " hold it (held by nobody)", notHeld.getMessage());
                assertThrows(MutexNotOwnedException.class, () -> condition.await(Duration.ofMillis(1)));
                mutex.lock();
                assertFalse(condition.await(Duration.ofMillis(10)), "nobody signals");
                assertTrue(mutex.isHeldByCurrentThread());
                assertEquals("condition c: await: timeout PT-0.001S is negative", assertThrows(
                        IllegalArgumentException.class, () -> condition.await(Duration.ofMillis(-1))).getMessage());
                assertTrue(mutex.isHeldByCurrentThread(), "a refused await keeps the mutex");
                mutex.unlock();
                checks.incrementAndGet();
            });
            assertEquals(1, checks.get());
            assertSame(mutex, condition.mutex());
            assertEquals("c", condition.name());
        }
    }
}
