package org.astralisp.kernel.api.ipc;

/**
 * A write to a {@link Pipe} whose read end is closed (POSIX {@code EPIPE}):
 * nobody will read what is written. Tells how many bytes of the write had
 * gone into the pipe before the read end closed.
 */
public final class BrokenPipeException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    private final int written;

    public BrokenPipeException(String pipe, int written, int length) {
        super("pipe " + pipe + ": broken pipe, the read end is closed (" + written + " of " + length
                + " bytes written)");
        this.written = written;
    }

    /** Bytes of the failed write that went into the pipe before its read end closed. */
    public int written() {
        return written;
    }
}
