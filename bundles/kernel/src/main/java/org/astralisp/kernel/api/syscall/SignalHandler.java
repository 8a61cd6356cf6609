package org.astralisp.kernel.api.syscall;

/** A program's signal handler: runs on the thread that takes the signal, at a safepoint or a system call's return. */
@FunctionalInterface
public interface SignalHandler {

    void handle(Signal signal);
}
