package org.astralisp.kernel.api.syscall;

/**
 * One thing {@link SystemCalls#poll} waits for: {@code event} on the object
 * {@code handle} names (a {@link HandleType#CHANNEL} for either event, a
 * {@link HandleType#PIPE_READ_END} for {@link PollEvent#READABLE}, a
 * {@link HandleType#PIPE_WRITE_END} for {@link PollEvent#WRITABLE}).
 */
public record PollRequest(int handle, PollEvent event) {

    public static PollRequest readable(int handle) {
        return new PollRequest(handle, PollEvent.READABLE);
    }

    public static PollRequest writable(int handle) {
        return new PollRequest(handle, PollEvent.WRITABLE);
    }
}
