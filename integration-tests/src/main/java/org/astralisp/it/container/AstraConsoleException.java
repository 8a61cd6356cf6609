package org.astralisp.it.container;

/**
 * The image did not answer as the console protocol says: no prompt in time, or
 * the process ended. By the time this is thrown the image has been killed; the
 * message carries the console output and stderr that lead up to it.
 */
public final class AstraConsoleException extends RuntimeException {

    public AstraConsoleException(String message) {
        super(message);
    }
}
