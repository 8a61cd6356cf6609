package org.astralisp.kernel.sched;

/**
 * A vCPU's runnable threads in the order a policy gives them: the one seam
 * where a scheduling policy plugs in (ARCHITECTURE §4). Not thread-safe: its
 * {@link VcpuExecutor} guards it with its lock.
 */
interface RunQueue {

    /** A thread became runnable (started, yielded, preempted or woken). */
    void add(ContinuationThread thread);

    /** The thread to run next, removed from the queue; null if none is runnable. */
    ContinuationThread next();

    boolean isEmpty();
}
