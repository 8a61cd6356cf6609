package org.astralisp.lisp.printer;

/** CLHS {@code print-not-readable}: {@code *print-readably*} is true and the object has no readable syntax. */
public final class PrintNotReadable extends RuntimeException {

    private final transient Object object;

    public PrintNotReadable(Object object, String description) {
        super("cannot print readably: " + description);
        this.object = object;
    }

    /** The object that could not be printed. */
    public Object object() {
        return object;
    }
}
