package org.astralisp.boot.framework;

/** A hot swap that did not happen or was rolled back; the message says what state the bundle is in. */
public final class SwapException extends Exception {

    public SwapException(String message) {
        super(message);
    }

    public SwapException(String message, Throwable cause) {
        super(message, cause);
    }
}
