package org.astralisp.boot.framework;

/** A jar that is missing, unreadable, corrupt or not a bundle; the message says which. */
public final class BundleArchiveException extends Exception {

    public BundleArchiveException(String message) {
        super(message);
    }
}
