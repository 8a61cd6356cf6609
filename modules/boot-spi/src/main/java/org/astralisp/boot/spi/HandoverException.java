package org.astralisp.boot.spi;

/** A handover that could not be made; the message says which key and why. */
public class HandoverException extends Exception {

    public HandoverException(String message) {
        super(message);
    }

    public HandoverException(String message, Throwable cause) {
        super(message, cause);
    }
}
