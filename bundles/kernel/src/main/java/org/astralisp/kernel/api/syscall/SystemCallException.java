package org.astralisp.kernel.api.syscall;

import java.util.Objects;

/**
 * A system call refused or failed: an {@link Errno} and a message that names
 * the offending argument and the reason, e.g. {@code EBADF: handle 7 of
 * process 12: no such handle}. Nothing the call would have changed has
 * changed.
 */
public final class SystemCallException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final Errno errno;

    public SystemCallException(Errno errno, String detail) {
        super(Objects.requireNonNull(errno, "errno").name() + ": " + detail);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
