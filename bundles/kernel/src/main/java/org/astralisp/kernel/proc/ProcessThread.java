package org.astralisp.kernel.proc;

import org.astralisp.kernel.api.proc.ThreadStatus;
import org.astralisp.kernel.api.sched.KernelThread;

/**
 * A kernel thread that belongs to a process. {@code handlersRun} counts the
 * signal handlers it has run, written and read by the thread itself only: a
 * blocking system call interrupted by a signal fails with EINTR if a handler
 * ran, and is restarted otherwise (as Linux's ERESTARTSYS without a handler).
 */
final class ProcessThread {

    final Process process;
    final String name;
    private KernelThread kernel;
    private long handlersRun;

    ProcessThread(Process process, String name) {
        this.process = process;
        this.name = name;
    }

    void bind(KernelThread thread) {
        this.kernel = thread;
    }

    KernelThread kernel() {
        return kernel;
    }

    long handlersRun() {
        return handlersRun;
    }

    void handlerRan() {
        handlersRun++;
    }

    ThreadStatus status() {
        return new ThreadStatus(name, kernel.state(), kernel.cpu(), kernel.cpuTime());
    }
}
