package org.astralisp.kernel.api.syscall;

/** What a {@link PollRequest} waits for (POSIX {@code poll}'s {@code POLLIN} and {@code POLLOUT}). */
public enum PollEvent {
    /**
     * A read would not wait: a channel has a message or has ended; a pipe's
     * read end has bytes or its write end is closed (end of file).
     */
    READABLE,
    /**
     * A write would not wait: a channel has room or is closed (a send would
     * fail at once); a pipe's write end has room or its read end is closed
     * (a write would fail with EPIPE at once).
     */
    WRITABLE
}
