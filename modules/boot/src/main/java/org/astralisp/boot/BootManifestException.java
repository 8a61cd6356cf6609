package org.astralisp.boot;

import java.nio.file.Path;

/** A boot manifest that cannot be used; the message is {@code file:line: what}. */
public final class BootManifestException extends Exception {

    public BootManifestException(Path file, int line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
    }
}
