package org.astralisp.boot;

/** A command line the loader cannot act on; the message names the flag and the fault. */
public final class UsageException extends Exception {

    public UsageException(String message) {
        super(message);
    }
}
