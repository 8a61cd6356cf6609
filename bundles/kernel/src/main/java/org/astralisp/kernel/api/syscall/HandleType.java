package org.astralisp.kernel.api.syscall;

/**
 * The kinds of kernel object a handle names (a process names kernel objects
 * only through handles in its table). Only kinds that exist are listed;
 * files, sockets and devices join when their subsystems do.
 */
public enum HandleType {
    /** Another process, for its status. */
    PROCESS,
    /** A shared memory object of the VMM, to map. */
    SHARED_MEMORY
}
