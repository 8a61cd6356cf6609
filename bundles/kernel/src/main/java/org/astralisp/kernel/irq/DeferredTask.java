package org.astralisp.kernel.irq;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.astralisp.kernel.api.irq.DeferredWork;

/**
 * A bottom half: {@link #schedule()} queues it on a CPU unless it is queued
 * there already, so repeated schedules before it runs run it once
 * (coalescing). {@code queued[cpu]} is set by the scheduler that queues it and
 * cleared just before it runs, so a schedule during its run queues it again.
 */
final class DeferredTask implements DeferredWork {

    final String name;
    private final Runnable work;
    private final InterruptFramework framework;
    private final AtomicIntegerArray queued;

    DeferredTask(String name, Runnable work, InterruptFramework framework, int cpus) {
        this.name = Objects.requireNonNull(name, "name");
        this.work = Objects.requireNonNull(work, "work");
        this.framework = framework;
        this.queued = new AtomicIntegerArray(cpus);
    }

    @Override
    public void schedule() {
        framework.schedule(this);
    }

    /** Claims the right to queue it on {@code cpu}: false if it is queued there already. */
    boolean markQueued(int cpu) {
        return queued.compareAndSet(cpu, 0, 1);
    }

    void unmarkQueued(int cpu) {
        queued.set(cpu, 0);
    }

    /** Runs the work on {@code cpu}; clears the mark first. */
    void run(int cpu) {
        queued.set(cpu, 0);
        work.run();
    }

    @Override
    public String toString() {
        return "deferred work " + name;
    }
}
