package org.astralisp.kernel.proc;

import java.util.List;
import org.astralisp.kernel.api.sched.KernelThread;

/**
 * Where a process's threads come from: the scheduler's kernel threads
 * ({@code sched.Scheduler#thread}). A seam so that the process table does not
 * depend on how the scheduler is built or wired; its methods are those of the
 * scheduler service ({@code cpus}, {@code thread(cpu, name, body)} as
 * {@link #create}, {@code threads}), which replaces it once the scheduler is
 * a DS service.
 */
public interface KernelThreads {

    /** The number of vCPUs threads can be placed on. */
    int cpus();

    /** A NEW kernel thread that will run {@code body} on {@code cpu}. */
    KernelThread create(int cpu, String name, Runnable body);

    /** The threads created and not yet DEAD: those of no process are the kernel's own (pid 0 in ps). */
    List<KernelThread> threads();
}
