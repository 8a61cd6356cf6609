package org.astralisp.kernel.api.syscall;

import java.util.Objects;

/**
 * A program to run, as {@code spawn} is given it: where it comes from
 * ({@code location}, a URI whose scheme picks the loader: {@code java:} a
 * class name, later {@code file:} a Lisp fasl) and its bytes (empty when the
 * location says everything). The kernel does not look inside: a program loader
 * that accepts it does.
 */
public record ProgramImage(String location, byte[] content) {

    public ProgramImage {
        Objects.requireNonNull(location, "location");
        content = content.clone();
    }

    /** An image that is only a location. */
    public static ProgramImage at(String location) {
        return new ProgramImage(location, new byte[0]);
    }

    @Override
    public byte[] content() {
        return content.clone();
    }

    /** The URI scheme of the location, or "" if it has none. */
    public String scheme() {
        int colon = location.indexOf(':');
        return colon < 0 ? "" : location.substring(0, colon);
    }

    @Override
    public String toString() {
        return location + (content.length == 0 ? "" : " (" + content.length + " bytes)");
    }
}
