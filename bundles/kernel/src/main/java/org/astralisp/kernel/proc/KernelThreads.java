package org.astralisp.kernel.proc;

import org.astralisp.kernel.api.sched.KernelThread;

/**
 * Where a process's threads come from: the scheduler's kernel threads
 * ({@code sched.Scheduler#thread}). A seam so that the process table does not
 * depend on how the scheduler is built or wired.
 */
public interface KernelThreads {

    /** The number of vCPUs threads can be placed on. */
    int cpus();

    /** A NEW kernel thread that will run {@code body} on {@code cpu}. */
    KernelThread create(int cpu, String name, Runnable body);
}
