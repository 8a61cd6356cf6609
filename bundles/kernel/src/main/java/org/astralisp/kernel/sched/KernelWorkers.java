package org.astralisp.kernel.sched;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.astralisp.kernel.api.sched.CpuScheduler;
import org.astralisp.kernel.api.sched.KernelThread;
import org.astralisp.kernel.api.sched.WaitQueue;
import org.astralisp.kernel.api.sched.WorkQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link WorkQueue} as one pinned kernel thread per vCPU, {@code kworker/N}
 * (docs/kernel.md, "The kernel's workers").
 *
 * <p>A worker takes items from a lock-free queue and, finding it empty,
 * waits on its {@link WaitQueue} for "not empty or stopping". A submit adds
 * the item and then wakes the queue; the wait re-checks the condition after
 * taking its ticket, so an item added between the worker's look and its wait
 * is not left waiting (the ticket protocol of {@link WaitQueue}). Submitting
 * touches no lock a worker holds across a switch, so interrupt handlers may
 * submit.
 */
public final class KernelWorkers implements WorkQueue, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(KernelWorkers.class);

    private final Worker[] workers;

    /** Starts a worker on each of {@code scheduler}'s vCPUs. */
    public KernelWorkers(CpuScheduler scheduler) {
        Objects.requireNonNull(scheduler, "scheduler");
        workers = new Worker[scheduler.cpus()];
        for (int cpu = 0; cpu < workers.length; cpu++) {
            Worker worker = new Worker(cpu);
            worker.thread = scheduler.thread(cpu, worker.name, worker::loop);
            workers[cpu] = worker;
        }
        for (Worker worker : workers) {
            worker.thread.start();
        }
    }

    @Override
    public void submit(int cpu, Runnable work) {
        Objects.requireNonNull(work, "work");
        Worker worker = worker(cpu);
        if (worker.stopping) {
            throw new IllegalStateException("work for " + worker.name + ": the kernel's workers have stopped");
        }
        worker.items.add(work);
        worker.arrivals.wakeOne();
    }

    @Override
    public long completed(int cpu) {
        return worker(cpu).completed.get();
    }

    @Override
    public long failed(int cpu) {
        return worker(cpu).failed.get();
    }

    /** CPU {@code cpu}'s worker thread. */
    KernelThread thread(int cpu) {
        return worker(cpu).thread;
    }

    private Worker worker(int cpu) {
        if (cpu < 0 || cpu >= workers.length) {
            throw new IllegalArgumentException("CPU " + cpu + " does not exist (CPUs are 0.." + (workers.length - 1)
                    + ")");
        }
        return workers[cpu];
    }

    /**
     * Stops taking work: each worker finishes what was queued and ends. Waits
     * up to {@code timeout} for each (from a host thread); true if all ended.
     */
    public boolean stop(Duration timeout) throws InterruptedException {
        for (Worker worker : workers) {
            worker.stopping = true;
            worker.arrivals.wakeAll();
        }
        boolean ended = true;
        for (Worker worker : workers) {
            ended &= worker.thread.join(timeout);
        }
        return ended;
    }

    /** {@link #stop} with one second for each worker, logging a worker that did not end. */
    @Override
    public void close() throws InterruptedException {
        if (!stop(Duration.ofSeconds(1))) {
            for (Worker worker : workers) {
                if (worker.thread.state() != KernelThread.State.DEAD) {
                    LOG.warn("{} did not end within 1 s of being stopped: its work item still runs", worker.name);
                }
            }
        }
    }

    /** One CPU's worker: its queue, its wait queue and its counts. */
    private static final class Worker {
        final String name;
        final ConcurrentLinkedQueue<Runnable> items = new ConcurrentLinkedQueue<>();
        final WaitQueue arrivals;
        final AtomicLong completed = new AtomicLong();
        final AtomicLong failed = new AtomicLong();
        volatile boolean stopping;
        KernelThread thread;

        Worker(int cpu) {
            this.name = "kworker/" + cpu;
            this.arrivals = new WaitQueue(name);
        }

        /** The worker's body: items in order until stopped and drained. */
        void loop() {
            while (true) {
                Runnable item = items.poll();
                if (item == null) {
                    if (stopping) {
                        return;
                    }
                    arrivals.await(() -> !items.isEmpty() || stopping);
                    continue;
                }
                try {
                    item.run();
                } catch (RuntimeException e) {
                    failed.incrementAndGet();
                    LOG.error("{}: a work item failed: {}", name, e.toString(), e);
                } finally {
                    completed.incrementAndGet();
                }
            }
        }
    }
}
