package org.astralisp.kernel.api.sched;

import java.util.List;

/**
 * One vCPU's runnable threads in the order a {@link SchedulingPolicy} gives
 * them (ARCHITECTURE §4). A thread is in at most one queue, and only while
 * RUNNABLE: the running thread is not in its queue.
 *
 * <p>Not thread-safe: the scheduler calls it with that vCPU's lock held, for
 * a few operations at a time, never across a switch.
 */
public interface RunQueue {

    /** Why a thread enters the queue; policies place it by this (the fair policy's sleeper credit, say). */
    enum Arrival {
        /** Started. */
        NEW,
        /** Unblocked. */
        WOKEN,
        /** Gave up the vCPU: yield, end of slice, or preemption. */
        YIELDED,
        /** Came from another vCPU's queue (balancing, stealing, affinity) or another policy's (a swap). */
        MIGRATED
    }

    void add(ScheduledThread thread, Arrival arrival);

    /** The thread to run next, removed from the queue; null if the queue is empty. */
    ScheduledThread next();

    /** Takes {@code thread} out (it is migrating); false if it is not queued here. */
    boolean remove(ScheduledThread thread);

    /** The queued threads, the one {@link #next()} would give first; a snapshot. */
    List<ScheduledThread> threads();

    int size();

    default boolean isEmpty() {
        return size() == 0;
    }

    /**
     * {@code thread}, which this queue's {@link #next()} gave, ran for
     * {@code nanos} of CPU time; called before it is added again (or blocks, or ends).
     */
    void ran(ScheduledThread thread, long nanos);
}
