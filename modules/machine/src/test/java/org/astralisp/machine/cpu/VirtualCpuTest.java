package org.astralisp.machine.cpu;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.astralisp.machine.port.MachineCheckException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class VirtualCpuTest {

    private static final long TIMEOUT_SECONDS = 10;

    /** An interrupt input that is pending while its count is positive; acknowledging takes one. */
    private static final class CountingSource implements InterruptSource {
        final AtomicInteger requests = new AtomicInteger();
        final long cause;

        CountingSource(long cause) {
            this.cause = cause;
        }

        void request(VirtualCpu cpu) {
            requests.incrementAndGet();
            cpu.kick();
        }

        @Override
        public boolean pending() {
            return requests.get() > 0;
        }

        @Override
        public long acknowledge() {
            requests.decrementAndGet();
            return cause;
        }
    }

    private final VirtualCpu cpu = new VirtualCpu(3, "CSR");

    @AfterEach
    void powerOff() throws InterruptedException {
        cpu.powerOff();
        assertTrue(cpu.awaitPowerOff(Duration.ofSeconds(TIMEOUT_SECONDS)), "vcpu3 did not power off");
    }

    /** Runs {@code body} on the vCPU and waits for it; rethrows what it threw. */
    private void runOnCpu(ThrowingRunnable body) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        cpu.start(() -> {
            try {
                body.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        try {
            done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof Exception cause) {
                throw cause;
            }
            throw new AssertionError(e.getCause());
        }
    }

    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    @Test
    void startRunsTheEntryOnAPlatformThreadNamedForTheCpu() throws Exception {
        AtomicReference<Thread> thread = new AtomicReference<>();
        runOnCpu(() -> thread.set(Thread.currentThread()));
        assertEquals("vcpu3", thread.get().getName());
        assertFalse(thread.get().isVirtual());
        assertEquals(3, cpu.id());
    }

    @Test
    void aRunningCpuCannotBeStartedAgain() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch started = new CountDownLatch(1);
        cpu.start(() -> {
            started.countDown();
            awaitQuietly(release);
        });
        assertTrue(started.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "vcpu3 did not start");
        assertTrue(cpu.running());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> cpu.start(() -> { }));
        assertEquals("vcpu3 is running: it can be started again once its entry has returned", e.getMessage());
        release.countDown();
        awaitStopped();
    }

    @Test
    void aCpuWhoseEntryReturnedIsStoppedAndStartsAgainOnANewThread() throws Exception {
        assertFalse(cpu.running(), "a new vCPU is STOPPED");
        AtomicReference<Thread> first = new AtomicReference<>();
        runOnCpu(() -> first.set(Thread.currentThread()));
        awaitStopped();
        AtomicReference<Thread> second = new AtomicReference<>();
        AtomicInteger id = new AtomicInteger(-100);
        runOnCpu(() -> {
            second.set(Thread.currentThread());
            id.set(VirtualCpu.currentId());
        });
        awaitStopped();
        assertEquals("vcpu3", second.get().getName());
        assertTrue(first.get() != second.get(), "each run has its own thread");
        assertEquals(3, id.get());
    }

    @Test
    void aRestartedCpuBeginsWithInterruptsDisabledAndKeepsItsPendingSources() throws Exception {
        CountingSource source = new CountingSource(0x31);
        cpu.addInterruptSource(source);
        List<Long> taken = new CopyOnWriteArrayList<>();
        cpu.setInterruptEntry((c, cause) -> taken.add(cause));
        runOnCpu(cpu::enableInterrupts);
        awaitStopped();
        source.request(cpu);
        AtomicBoolean enabledAtStart = new AtomicBoolean(true);
        runOnCpu(() -> {
            enabledAtStart.set(cpu.interruptsEnabled());
            cpu.enableInterrupts();
            cpu.pollInterrupts();
        });
        assertFalse(enabledAtStart.get(), "a started vCPU has interrupts disabled");
        assertEquals(List.of(0x31L), taken, "the request raised while the vCPU was stopped is taken after the start");
    }

    @Test
    void anEntryThatThrowsStopsTheCpu() throws Exception {
        Thread.UncaughtExceptionHandler quiet = (t, e) -> { };
        CountDownLatch thrown = new CountDownLatch(1);
        cpu.start(() -> {
            Thread.currentThread().setUncaughtExceptionHandler(quiet);
            thrown.countDown();
            throw new IllegalStateException("kernel bug");
        });
        assertTrue(thrown.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        awaitStopped();
        runOnCpu(() -> { });
    }

    @Test
    void wakeEndsAHaltWithoutAnInterrupt() throws Exception {
        cpu.setInterruptEntry((c, cause) -> { throw new AssertionError("no interrupt was raised"); });
        AtomicReference<Thread> thread = new AtomicReference<>();
        CountDownLatch returned = new CountDownLatch(1);
        cpu.start(() -> {
            thread.set(Thread.currentThread());
            cpu.enableInterrupts();
            cpu.waitForInterrupt();
            returned.countDown();
        });
        awaitParked(awaitSet(thread));
        cpu.wake();
        assertTrue(returned.await(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the halt did not end on wake()");
        awaitStopped();
    }

    @Test
    void aWakeBeforeTheHaltEndsTheNextHaltAndWakesDoNotQueue() throws Exception {
        cpu.setInterruptEntry((c, cause) -> { });
        CountDownLatch woken = new CountDownLatch(1);
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicInteger halts = new AtomicInteger();
        cpu.start(() -> {
            awaitQuietly(woken);
            cpu.waitForInterrupt();
            halts.incrementAndGet();
            thread.set(Thread.currentThread());
            cpu.waitForInterrupt();
            halts.incrementAndGet();
        });
        cpu.wake();
        cpu.wake();
        woken.countDown();
        awaitParked(awaitSet(thread));
        assertEquals(1, halts.get(), "two wake-ups before a halt end one halt");
        cpu.wake();
        awaitStopped();
        assertEquals(2, halts.get());
    }

    @Test
    void aWakeLeftFromTheLastRunIsDiscardedAtTheStart() throws Exception {
        runOnCpu(() -> { });
        awaitStopped();
        cpu.wake();
        cpu.setInterruptEntry((c, cause) -> { });
        AtomicReference<Thread> thread = new AtomicReference<>();
        cpu.start(() -> {
            thread.set(Thread.currentThread());
            cpu.waitForInterrupt();
        });
        awaitParked(awaitSet(thread));
        assertTrue(cpu.running(), "the old wake-up ended the new run's halt");
        cpu.wake();
        awaitStopped();
    }

    private void awaitStopped() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (cpu.running()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("vcpu3 did not stop");
            }
            Thread.sleep(1);
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void aPoweredOffCpuDoesNotStart() {
        cpu.powerOff();
        assertThrows(IllegalStateException.class, () -> cpu.start(() -> { }));
    }

    @Test
    void currentIdIsTheCpuOnItsThreadAndNegativeElsewhere() throws Exception {
        AtomicInteger seen = new AtomicInteger(-100);
        runOnCpu(() -> seen.set(VirtualCpu.currentId()));
        assertEquals(3, seen.get());
        assertEquals(-1, VirtualCpu.currentId());
    }

    @Test
    void onlyTheCpuItselfMayEnableDisableWaitOrPoll() {
        cpu.setInterruptEntry((c, cause) -> { });
        IllegalStateException e = assertThrows(IllegalStateException.class, cpu::enableInterrupts);
        assertTrue(e.getMessage().startsWith("enableInterrupts on vcpu3 called from thread '"), e.getMessage());
        assertThrows(IllegalStateException.class, cpu::disableInterrupts);
        assertThrows(IllegalStateException.class, cpu::waitForInterrupt);
        assertThrows(IllegalStateException.class, cpu::pollInterrupts);
    }

    @Test
    void interruptsCannotBeEnabledWithoutAnEntry() {
        assertThrows(IllegalStateException.class, () -> runOnCpu(cpu::enableInterrupts));
    }

    @Test
    void disableReportsWhetherInterruptsWereEnabled() throws Exception {
        cpu.setInterruptEntry((c, cause) -> { });
        List<Boolean> seen = new CopyOnWriteArrayList<>();
        runOnCpu(() -> {
            seen.add(cpu.interruptsEnabled());
            seen.add(cpu.disableInterrupts());
            cpu.enableInterrupts();
            seen.add(cpu.interruptsEnabled());
            seen.add(cpu.disableInterrupts());
            seen.add(cpu.interruptsEnabled());
        });
        assertEquals(List.of(false, false, true, true, false), seen);
    }

    @Test
    void pendingSourcesAreTakenInPriorityOrderWithInterruptsDisabledInTheEntry() throws Exception {
        CountingSource timer = new CountingSource(5);
        CountingSource external = new CountingSource(9);
        cpu.addInterruptSource(external);
        cpu.addInterruptSource(timer);
        List<String> taken = new CopyOnWriteArrayList<>();
        cpu.setInterruptEntry((c, cause) -> taken.add(cause + (c.interruptsEnabled() ? " enabled" : " disabled")));
        runOnCpu(() -> {
            timer.request(cpu);
            external.request(cpu);
            cpu.enableInterrupts();
            cpu.pollInterrupts();
            taken.add(cpu.interruptsEnabled() ? "after: enabled" : "after: disabled");
        });
        assertEquals(List.of("9 disabled", "5 disabled", "after: enabled"), taken);
    }

    @Test
    void aLevelSourceTheHandlerDoesNotClearIsTakenAgain() throws Exception {
        AtomicInteger level = new AtomicInteger(3);
        AtomicInteger entries = new AtomicInteger();
        cpu.addInterruptSource(new InterruptSource() {
            @Override
            public boolean pending() {
                return level.get() > 0;
            }

            @Override
            public long acknowledge() {
                return 9;
            }
        });
        cpu.setInterruptEntry((c, cause) -> {
            entries.incrementAndGet();
            level.decrementAndGet();
        });
        runOnCpu(() -> {
            cpu.kick();
            cpu.enableInterrupts();
            cpu.pollInterrupts();
        });
        assertEquals(3, entries.get());
    }

    @Test
    void pollTakesNothingWhileInterruptsAreDisabledAndKeepsThemPending() throws Exception {
        CountingSource source = new CountingSource(1);
        cpu.addInterruptSource(source);
        List<Long> taken = new CopyOnWriteArrayList<>();
        cpu.setInterruptEntry((c, cause) -> taken.add(cause));
        runOnCpu(() -> {
            source.request(cpu);
            cpu.pollInterrupts();
            assertTrue(taken.isEmpty(), "taken with interrupts disabled");
            cpu.enableInterrupts();
            cpu.pollInterrupts();
        });
        assertEquals(List.of(1L), taken);
    }

    @Test
    void waitWithInterruptsDisabledReturnsOnAPendingSourceWithoutTakingIt() throws Exception {
        CountingSource source = new CountingSource(1);
        cpu.addInterruptSource(source);
        List<Long> taken = new CopyOnWriteArrayList<>();
        cpu.setInterruptEntry((c, cause) -> taken.add(cause));
        runOnCpu(() -> {
            source.request(cpu);
            cpu.waitForInterrupt();
            assertTrue(taken.isEmpty(), "taken with interrupts disabled");
            assertEquals(1, source.requests.get());
            cpu.enableInterrupts();
            cpu.pollInterrupts();
        });
        assertEquals(List.of(1L), taken);
    }

    @Test
    void aSourceNobodyKickedIsNotLookedAtByPoll() throws Exception {
        CountingSource source = new CountingSource(1);
        cpu.addInterruptSource(source);
        List<Long> taken = new CopyOnWriteArrayList<>();
        cpu.setInterruptEntry((c, cause) -> taken.add(cause));
        runOnCpu(() -> {
            cpu.enableInterrupts();
            source.requests.incrementAndGet();
            cpu.pollInterrupts();
            assertTrue(taken.isEmpty(), "poll scanned the sources without a kick");
            cpu.kick();
            cpu.pollInterrupts();
        });
        assertEquals(List.of(1L), taken);
    }

    @Test
    void interruptsAreEnabledAgainWhenTheEntryThrows() throws Exception {
        CountingSource source = new CountingSource(1);
        cpu.addInterruptSource(source);
        cpu.setInterruptEntry((c, cause) -> {
            throw new IllegalArgumentException("handler failed");
        });
        AtomicBoolean enabledAfter = new AtomicBoolean();
        runOnCpu(() -> {
            cpu.enableInterrupts();
            source.request(cpu);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, cpu::pollInterrupts);
            assertEquals("handler failed", e.getMessage());
            enabledAfter.set(cpu.interruptsEnabled());
        });
        assertTrue(enabledAfter.get());
    }

    @Test
    void aHaltedCpuWakesWhenAnotherThreadRaisesAnInterrupt() throws Exception {
        CountingSource source = new CountingSource(0x20);
        cpu.addInterruptSource(source);
        CountDownLatch halted = new CountDownLatch(1);
        AtomicReference<Thread> thread = new AtomicReference<>();
        List<Long> taken = new CopyOnWriteArrayList<>();
        cpu.setInterruptEntry((c, cause) -> taken.add(cause));
        CompletableFuture<Void> done = new CompletableFuture<>();
        cpu.start(() -> {
            thread.set(Thread.currentThread());
            cpu.enableInterrupts();
            halted.countDown();
            cpu.waitForInterrupt();
            done.complete(null);
        });
        assertTrue(halted.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        awaitParked(thread.get());
        assertFalse(done.isDone());
        source.request(cpu);
        done.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        assertEquals(List.of(0x20L), taken);
    }

    @Test
    void aHostInterruptNeitherWakesAHaltedCpuNorIsLost() throws Exception {
        CountingSource source = new CountingSource(1);
        cpu.addInterruptSource(source);
        cpu.setInterruptEntry((c, cause) -> { });
        AtomicReference<Thread> thread = new AtomicReference<>();
        CompletableFuture<Boolean> interruptedAfterWake = new CompletableFuture<>();
        cpu.start(() -> {
            thread.set(Thread.currentThread());
            cpu.enableInterrupts();
            cpu.waitForInterrupt();
            interruptedAfterWake.complete(Thread.currentThread().isInterrupted());
        });
        awaitParked(awaitSet(thread));
        thread.get().interrupt();
        Thread.sleep(200);
        assertFalse(interruptedAfterWake.isDone(), "a host interrupt ended the halt");
        awaitParked(thread.get());
        source.request(cpu);
        assertTrue(interruptedAfterWake.get(TIMEOUT_SECONDS, TimeUnit.SECONDS), "the interrupt status was lost");
    }

    @Test
    void noKickIsLostUnderAStormOfKicksFromTwoThreads() throws Exception {
        int perProducer = 100_000;
        CountingSource source = new CountingSource(9);
        cpu.addInterruptSource(source);
        AtomicLong taken = new AtomicLong();
        AtomicLong halts = new AtomicLong();
        cpu.setInterruptEntry((c, cause) -> taken.incrementAndGet());
        CompletableFuture<Void> done = new CompletableFuture<>();
        cpu.start(() -> {
            cpu.enableInterrupts();
            while (taken.get() < 2L * perProducer) {
                cpu.waitForInterrupt();
                halts.incrementAndGet();
            }
            done.complete(null);
        });
        Runnable producer = () -> {
            for (int i = 0; i < perProducer; i++) {
                source.request(cpu);
                if (i % 64 == 0) {
                    Thread.yield();
                }
            }
        };
        Thread a = Thread.ofPlatform().start(producer);
        Thread b = Thread.ofPlatform().start(producer);
        a.join();
        b.join();
        done.get(30, TimeUnit.SECONDS);
        assertEquals(2L * perProducer, taken.get(), "every request taken exactly once");
        assertEquals(0, source.requests.get());
        assertTrue(halts.get() > 0);
    }

    @Test
    void anIdleCpuUsesNoHostCpu() throws Exception {
        cpu.setInterruptEntry((c, cause) -> { });
        AtomicReference<Thread> thread = new AtomicReference<>();
        cpu.start(() -> {
            thread.set(Thread.currentThread());
            cpu.enableInterrupts();
            while (true) {
                cpu.waitForInterrupt();
            }
        });
        awaitParked(awaitSet(thread));
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = threads.getThreadCpuTime(thread.get().threadId());
        Thread.sleep(1000);
        long used = threads.getThreadCpuTime(thread.get().threadId()) - before;
        assertTrue(used < 5_000_000, "idle vcpu used " + used / 1000 + " µs of CPU in 1 s");
    }

    @Test
    void powerOffWakesAHaltedCpuAndEndsItsThread() throws Exception {
        cpu.setInterruptEntry((c, cause) -> { });
        AtomicReference<Thread> thread = new AtomicReference<>();
        AtomicBoolean finallyRan = new AtomicBoolean();
        cpu.start(() -> {
            thread.set(Thread.currentThread());
            try {
                while (true) {
                    cpu.waitForInterrupt();
                }
            } finally {
                finallyRan.set(true);
            }
        });
        awaitParked(awaitSet(thread));
        cpu.powerOff();
        assertTrue(cpu.awaitPowerOff(Duration.ofSeconds(TIMEOUT_SECONDS)));
        assertTrue(finallyRan.get());
    }

    @Test
    void powerOffUnwindsARunningCpuAtItsNextPoll() throws Exception {
        cpu.setInterruptEntry((c, cause) -> { });
        CountDownLatch running = new CountDownLatch(1);
        cpu.start(() -> {
            running.countDown();
            while (true) {
                cpu.pollInterrupts();
            }
        });
        assertTrue(running.await(TIMEOUT_SECONDS, TimeUnit.SECONDS));
        cpu.powerOff();
        assertTrue(cpu.awaitPowerOff(Duration.ofSeconds(TIMEOUT_SECONDS)));
    }

    @Test
    void aCpuNeverStartedIsPoweredOffAtOnce() throws Exception {
        cpu.powerOff();
        assertTrue(cpu.awaitPowerOff(Duration.ZERO));
    }

    @Test
    void systemRegistersAreFoundByNumberWhateverTheOrderOfRegistration() {
        long[] values = new long[3];
        int[] numbers = {0x6E0, 0x10, 0xC00};
        for (int i = numbers.length - 1; i >= 0; i--) {
            int slot = i;
            cpu.registerSystemRegister(numbers[i], new SystemRegister() {
                @Override
                public long read() {
                    return values[slot];
                }

                @Override
                public void write(long value) {
                    values[slot] = value;
                }
            });
        }
        cpu.writeSystemRegister(0x6E0, 42);
        cpu.writeSystemRegister(0xC00, 7);
        assertEquals(42, cpu.readSystemRegister(0x6E0));
        assertEquals(0, cpu.readSystemRegister(0x10));
        assertEquals(7, cpu.readSystemRegister(0xC00));
    }

    @Test
    void anUnknownSystemRegisterIsAMachineCheckNamingIt() {
        MachineCheckException read = assertThrows(MachineCheckException.class, () -> cpu.readSystemRegister(0x104));
        assertEquals("vcpu3: read of CSR 0x104: no such register in this model", read.getMessage());
        MachineCheckException write = assertThrows(MachineCheckException.class,
                () -> cpu.writeSystemRegister(0x104, 0x22));
        assertEquals("vcpu3: write of 0x22 of CSR 0x104: no such register in this model", write.getMessage());
    }

    @Test
    void aSystemRegisterNumberIsRegisteredOnce() {
        SystemRegister register = new SystemRegister() {
            @Override
            public long read() {
                return 0;
            }

            @Override
            public void write(long value) {
            }
        };
        cpu.registerSystemRegister(0x10, register);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> cpu.registerSystemRegister(0x10, register));
        assertEquals("system register 0x10 is registered already", e.getMessage());
    }

    private static Thread awaitSet(AtomicReference<Thread> thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (thread.get() == null) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the vcpu did not start");
            }
            Thread.sleep(1);
        }
        return thread.get();
    }

    /** Waits until {@code thread} is parked (halted). */
    private static void awaitParked(Thread thread) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        while (thread.getState() != Thread.State.WAITING) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(thread.getName() + " did not halt: " + thread.getState());
            }
            Thread.sleep(1);
        }
    }
}
