package org.astralisp.kernel.api.sched;

/**
 * The kernel's workers: one kernel thread per vCPU, {@code kworker/N}, that
 * runs work which may block — what an interrupt handler, a kernel timer's
 * action or deferred work must not do itself (Linux's per-CPU workqueues,
 * Documentation/core-api/workqueue.rst). A CPU's work items run one at a time,
 * in the order they were submitted, in its worker's kernel thread; they may
 * sleep, wait on wait queues, lock mutexes. The workers belong to no process:
 * {@code ps -T} lists them under pid 0, the kernel.
 */
public interface WorkQueue {

    /**
     * Queues {@code work} for CPU {@code cpu}'s worker. Any thread, interrupt
     * context too; never blocks.
     *
     * @throws IllegalArgumentException naming a CPU that does not exist
     * @throws IllegalStateException if the workers have been stopped (the
     *         scheduler was detached)
     */
    void submit(int cpu, Runnable work);

    /** Work items CPU {@code cpu}'s worker has finished, those that threw included. */
    long completed(int cpu);

    /** Work items on CPU {@code cpu} that threw (each logged with the exception). */
    long failed(int cpu);
}
