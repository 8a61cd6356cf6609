package org.astralisp.boot.spi;

/** A console command that failed; the message is what the user reads. */
public class CommandException extends Exception {

    public CommandException(String message) {
        super(message);
    }

    public CommandException(String message, Throwable cause) {
        super(message, cause);
    }
}
