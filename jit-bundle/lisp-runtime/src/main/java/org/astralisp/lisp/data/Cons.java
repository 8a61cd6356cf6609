package org.astralisp.lisp.data;

/** A cons cell (CLHS 14.1.1). {@code rplaca}/{@code rplacd} come with the runtime's list functions. */
public final class Cons {

    private final Object car;
    private final Object cdr;

    public Cons(Object car, Object cdr) {
        this.car = car;
        this.cdr = cdr;
    }

    public Object car() {
        return car;
    }

    public Object cdr() {
        return cdr;
    }
}
