package org.astralisp.kernel.api.syscall;

import java.util.Locale;

/**
 * Why a system call failed: the errno values the kernel uses, with Linux's
 * numbers and descriptions (include/uapi/asm-generic/errno-base.h and
 * errno.h, the same on x86-64, RISC-V and PowerPC for these values).
 */
public enum Errno {
    EPERM(1, "operation not permitted"),
    ESRCH(3, "no such process"),
    EINTR(4, "interrupted system call"),
    EIO(5, "input/output error"),
    E2BIG(7, "argument list too long"),
    ENOEXEC(8, "exec format error"),
    EBADF(9, "bad file descriptor"),
    ECHILD(10, "no child processes"),
    EAGAIN(11, "resource temporarily unavailable"),
    ENOMEM(12, "cannot allocate memory"),
    EFAULT(14, "bad address"),
    EEXIST(17, "file exists"),
    EINVAL(22, "invalid argument"),
    EMFILE(24, "too many open files"),
    EPIPE(32, "broken pipe"),
    ERANGE(34, "numerical result out of range"),
    ENOSYS(38, "function not implemented"),
    EMSGSIZE(90, "message too long"),
    ETIMEDOUT(110, "connection timed out");

    private final int number;
    private final String description;

    Errno(int number, String description) {
        this.number = number;
        this.description = description;
    }

    /** Linux's number for it. */
    public int number() {
        return number;
    }

    /** What {@code strerror} says, in lower case. */
    public String description() {
        return description;
    }

    @Override
    public String toString() {
        return name() + " (" + number + ", " + description.toLowerCase(Locale.ROOT) + ")";
    }
}
