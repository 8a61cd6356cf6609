package org.astralisp.boot;

/** The system could not come up; the message is the one-line reason. */
public final class BootException extends Exception {

    public BootException(String message) {
        super(message);
    }
}
