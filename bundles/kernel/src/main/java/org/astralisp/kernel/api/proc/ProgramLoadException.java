package org.astralisp.kernel.api.proc;

/** An image a loader accepted but cannot load, or one no loader accepts; {@code spawn} fails with ENOEXEC. */
public final class ProgramLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    public ProgramLoadException(String message) {
        super(message);
    }

    public ProgramLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
