package org.astralisp.kernel.api.proc;

import java.util.List;
import java.util.Optional;
import org.astralisp.kernel.api.syscall.ProgramImage;
import org.astralisp.kernel.api.syscall.Signal;
import org.astralisp.kernel.api.syscall.SystemCalls;

/**
 * Every process, for the kernel's other parts and the console (a service).
 * Programs use {@link SystemCalls} instead. Pid 0 is the kernel (its own
 * threads), pid 1 is init, which reaps the orphans re-parented to it.
 */
public interface ProcessTable {

    /** The kernel's process. */
    int KERNEL = 0;
    /** init: the parent of orphans. */
    int INIT = 1;

    /** Snapshots of every process, by pid. */
    List<ProcessStatus> processes();

    /** A snapshot of {@code pid}, if it exists (zombies too). */
    Optional<ProcessStatus> status(int pid);

    /**
     * Starts {@code image} as a child of init with {@code credentials} and
     * {@code limits}, in a new session and group of its own (a program the
     * kernel starts, as a console job). Its pid.
     *
     * @throws org.astralisp.kernel.api.syscall.SystemCallException as {@link SystemCalls#spawn}
     */
    int spawn(ProgramImage image, List<String> args, Credentials credentials, ResourceLimits limits);

    /**
     * Sends {@code signal} as the kernel: {@code pid} > 0 to that process,
     * &lt; -1 to group {@code -pid}.
     *
     * @throws org.astralisp.kernel.api.syscall.SystemCallException ESRCH for no such process or group,
     *         EPERM for pid 0 and 1
     */
    void kill(int pid, Signal signal);

    /** The system calls programs make (each finds its caller by the calling thread). */
    SystemCalls systemCalls();
}
