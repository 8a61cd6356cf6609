package org.astralisp.lisp.data;

/** A cons cell (CLHS 14.1.1); its car and cdr may be changed ({@code rplaca}, {@code rplacd}). */
public final class Cons {

    private Object car;
    private Object cdr;

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

    public void setCar(Object value) {
        car = value;
    }

    public void setCdr(Object value) {
        cdr = value;
    }
}
