package org.astralisp.kernel.proc;

import org.astralisp.kernel.api.syscall.HandleType;

/** A handle's view of a process: it keeps the process's exit status readable after it is reaped. */
final class ProcessObject extends KernelObject {

    private final Process process;

    ProcessObject(int owner, Process process) {
        super(HandleType.PROCESS, owner);
        this.process = process;
    }

    Process process() {
        return process;
    }

    @Override
    protected void release() {
        // holds nothing but the reference
    }

    @Override
    public String describe() {
        return "process " + process.pid;
    }
}
