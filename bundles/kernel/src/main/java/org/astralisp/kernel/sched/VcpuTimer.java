package org.astralisp.kernel.sched;

import org.astralisp.kernel.api.sched.KernelTimer;

/**
 * One deadline in a {@link VcpuTimers} queue: a kernel timer (its action runs
 * as the CPU's deferred work) or a thread's timed park (its action, an
 * unpark, runs in the timer interrupt itself). Its mutable fields are guarded
 * by the queue's lock; the counters are read by anyone.
 */
final class VcpuTimer implements KernelTimer, Comparable<VcpuTimer> {

    private final VcpuTimers queue;
    final Runnable action;
    /** 0 for a one-shot timer. */
    final long period;
    /** Whether the action runs in the interrupt (a wake-up) rather than as deferred work. */
    final boolean inInterrupt;
    /** Guarded by the queue's lock; the order among equal deadlines. */
    long deadline;
    long sequence;
    /** Guarded: in the queue's deadlines. */
    boolean armed;
    /** Guarded: expired, its call waits in the queue's deferred list. */
    boolean due;
    /** Guarded. */
    boolean cancelled;
    private volatile long fired;
    private volatile long overruns;

    VcpuTimer(VcpuTimers queue, long deadline, long period, boolean inInterrupt, Runnable action) {
        this.queue = queue;
        this.deadline = deadline;
        this.period = period;
        this.inInterrupt = inInterrupt;
        this.action = action;
    }

    @Override
    public int cpu() {
        return queue.cpu();
    }

    @Override
    public boolean cancel() {
        return queue.cancel(this);
    }

    @Override
    public long fired() {
        return fired;
    }

    @Override
    public long overruns() {
        return overruns;
    }

    /** Own CPU, under the queue's lock or by the one thread that runs calls. */
    void countFired() {
        fired++;
    }

    /** Under the queue's lock. */
    void countOverruns(long periods) {
        overruns += periods;
    }

    @Override
    public int compareTo(VcpuTimer other) {
        int byDeadline = Long.compare(deadline, other.deadline);
        return byDeadline != 0 ? byDeadline : Long.compare(sequence, other.sequence);
    }

    @Override
    public String toString() {
        return (period == 0 ? "one-shot" : "periodic (" + period + " ns)") + " timer on CPU " + cpu();
    }
}
