package org.astralisp.kernel.api.syscall;

/**
 * The two handles {@link SystemCalls#pipeCreate} installs (POSIX {@code pipe(2)}'s
 * {@code fildes[0]} and {@code fildes[1]}): a {@link HandleType#PIPE_READ_END}
 * and a {@link HandleType#PIPE_WRITE_END}.
 */
public record PipeHandles(int readEnd, int writeEnd) {
}
