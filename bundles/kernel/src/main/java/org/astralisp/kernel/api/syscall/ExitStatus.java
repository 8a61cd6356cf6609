package org.astralisp.kernel.api.syscall;

/**
 * How a process ended, as {@code wait} reports it (POSIX.1-2017 XSH wait:
 * WIFEXITED/WEXITSTATUS, WIFSIGNALED/WTERMSIG).
 *
 * @param code the exit code (0..255) when {@code signal} is null
 * @param signal the signal that terminated it, or null if it exited
 */
public record ExitStatus(int code, Signal signal) {

    /** The status a program that threw gets: as a C program that {@code exit(1)}s after an error. */
    public static final int FAILURE = 1;

    public ExitStatus {
        if (signal != null && code != 0) {
            throw new IllegalArgumentException("a process killed by " + signal + " has no exit code, got " + code);
        }
    }

    /** Exited with {@code code & 0xff}, as {@code exit} keeps only the low 8 bits (XSH _Exit). */
    public static ExitStatus exited(int code) {
        return new ExitStatus(code & 0xFF, null);
    }

    public static ExitStatus killed(Signal signal) {
        return new ExitStatus(0, signal);
    }

    public boolean exited() {
        return signal == null;
    }

    /** Linux's encoding of a wait status: code {@code << 8}, or the signal number. */
    public int waitStatus() {
        return signal == null ? code << 8 : signal.number();
    }

    @Override
    public String toString() {
        return signal == null ? "exited " + code : "killed by " + signal.signalName();
    }
}
