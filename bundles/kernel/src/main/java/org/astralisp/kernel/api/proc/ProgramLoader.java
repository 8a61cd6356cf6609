package org.astralisp.kernel.api.proc;

import org.astralisp.kernel.api.syscall.ProgramImage;

/**
 * Turns program images of one kind into {@link Program}s; a service. The
 * kernel knows no program format: {@code spawn} asks each registered loader
 * whether it {@link #accepts} the image and loads with the first that does
 * (the Lisp runtime registers the loader of Lisp programs).
 */
public interface ProgramLoader {

    /** What it loads, for messages: {@code java classes}. */
    String name();

    /** Whether the image is of its kind (cheap: looks at the location's scheme or a magic number). */
    boolean accepts(ProgramImage image);

    /**
     * The program in {@code image}.
     *
     * @throws ProgramLoadException naming the image and what is wrong with it
     */
    Program load(ProgramImage image) throws ProgramLoadException;
}
