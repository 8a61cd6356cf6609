package org.astralisp.kernel.api.syscall;

/**
 * The kinds of kernel object a handle names (a process names kernel objects
 * only through handles in its table). Only kinds that exist are listed;
 * files, sockets and devices join when their subsystems exist.
 */
public enum HandleType {
    /** Another process, for its status. */
    PROCESS,
    /** A shared memory object of the VMM, to map. */
    SHARED_MEMORY,
    /** A channel: messages of bytes and handles, both directions through the same handle. */
    CHANNEL,
    /** The read end of a pipe: bytes in the order written, end of file once every write end is closed. */
    PIPE_READ_END,
    /** The write end of a pipe: EPIPE and SIGPIPE once every read end is closed. */
    PIPE_WRITE_END
}
