package org.astralisp.kernel.api.syscall;

/**
 * The kinds of kernel object a handle names (a process names kernel objects
 * only through handles in its table). Only kinds that exist are listed;
 * pipe ends join when pipe reads and writes can be interrupted by signals,
 * files, sockets and devices when their subsystems exist.
 */
public enum HandleType {
    /** Another process, for its status. */
    PROCESS,
    /** A shared memory object of the VMM, to map. */
    SHARED_MEMORY,
    /** A channel: messages of bytes and handles, both directions through the same handle. */
    CHANNEL
}
