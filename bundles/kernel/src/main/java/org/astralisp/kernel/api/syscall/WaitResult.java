package org.astralisp.kernel.api.syscall;

/** A child that {@code wait} reaped: its pid and how it ended. */
public record WaitResult(int pid, ExitStatus status) {
}
