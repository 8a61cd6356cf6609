package org.astralisp.kernel.vm;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.IntConsumer;
import org.astralisp.kernel.api.irq.CrossCall;

/**
 * CPUs for the VMM's tests: one thread per CPU that runs the test's jobs, and a {@link CrossCall} that
 * really runs the action on the target CPUs' threads, as an inter-processor interrupt would: each CPU
 * has an interrupt mailbox it serves between jobs, when a job polls ({@link #pollInterrupts()}, a
 * safepoint), and while it waits for a cross-call of its own (so two CPUs shooting each other down do
 * not deadlock, as with Linux's {@code smp_call_function_many}, which waits with interrupts enabled).
 */
final class TestCpus implements CrossCall, AutoCloseable {

    private static final long TIMEOUT_SECONDS = 20;

    private final int count;
    private final List<ConcurrentLinkedQueue<Runnable>> interrupts = new ArrayList<>();
    private final List<ConcurrentLinkedQueue<Runnable>> jobs = new ArrayList<>();
    private final List<Semaphore> doorbells = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLongArray interruptsTaken;
    private final ThreadLocal<Integer> current = ThreadLocal.withInitial(() -> -1);
    private volatile boolean stopped;

    TestCpus(int count) {
        this.count = count;
        this.interruptsTaken = new AtomicLongArray(count);
        for (int cpu = 0; cpu < count; cpu++) {
            interrupts.add(new ConcurrentLinkedQueue<>());
            jobs.add(new ConcurrentLinkedQueue<>());
            doorbells.add(new Semaphore(0));
            int id = cpu;
            Thread thread = Thread.ofPlatform().name("test-cpu-" + cpu).daemon().start(() -> run(id));
            threads.add(thread);
        }
    }

    /** Runs {@code job} on {@code cpu} and returns its result, waiting a bounded time. */
    <T> T on(int cpu, Callable<T> job) throws Exception {
        FutureTask<T> task = submit(cpu, job);
        try {
            return task.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        } catch (TimeoutException e) {
            throw new AssertionError("job on CPU " + cpu + " not done after " + TIMEOUT_SECONDS + " s");
        }
    }

    /** Runs {@code job} on {@code cpu}; the caller waits for the task. */
    <T> FutureTask<T> submit(int cpu, Callable<T> job) {
        FutureTask<T> task = new FutureTask<>(job);
        jobs.get(cpu).add(task);
        doorbells.get(cpu).release();
        return task;
    }

    /** Takes the interrupts pending for the calling CPU (a safepoint in a long job). */
    void pollInterrupts() {
        int cpu = current.get();
        if (cpu >= 0) {
            serve(cpu);
        }
    }

    /** How many cross-call actions {@code cpu} has run from its mailbox (not those it ran for itself). */
    long interruptsTaken(int cpu) {
        return interruptsTaken.get(cpu);
    }

    @Override
    public void runOn(BitSet cpus, IntConsumer action) {
        if (cpus.length() > count) {
            throw new IllegalArgumentException("no CPU " + (cpus.length() - 1));
        }
        int self = current.get();
        CountDownLatch done = new CountDownLatch((int) cpus.stream().filter(cpu -> cpu != self).count());
        RuntimeException[] failure = new RuntimeException[1];
        cpus.stream().filter(cpu -> cpu != self).forEach(cpu -> {
            interrupts.get(cpu).add(() -> {
                try {
                    action.accept(cpu);
                } catch (RuntimeException e) {
                    failure[0] = e;
                } finally {
                    done.countDown();
                }
            });
            doorbells.get(cpu).release();
        });
        if (self >= 0 && cpus.get(self)) {
            action.accept(self);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        try {
            while (!done.await(50, TimeUnit.MICROSECONDS)) {
                pollInterrupts();
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("cross-call to CPUs " + cpus + " not done after " + TIMEOUT_SECONDS + " s");
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for a cross-call", e);
        }
        if (failure[0] != null) {
            throw failure[0];
        }
    }

    private void run(int cpu) {
        current.set(cpu);
        while (!stopped) {
            try {
                doorbells.get(cpu).tryAcquire(20, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                return;
            }
            serve(cpu);
            Runnable job = jobs.get(cpu).poll();
            if (job != null) {
                job.run();
            }
        }
    }

    private void serve(int cpu) {
        Runnable interrupt;
        while ((interrupt = interrupts.get(cpu).poll()) != null) {
            interruptsTaken.incrementAndGet(cpu);
            interrupt.run();
        }
    }

    @Override
    public void close() {
        stopped = true;
        try {
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
