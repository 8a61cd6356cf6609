package org.astralisp.lisp.data;

import java.util.List;

/** A simple general vector (CLHS 15.1.2, {@code simple-vector}), as {@code #(...)} reads it. */
public final class SimpleVector {

    private final Object[] elements;

    public SimpleVector(List<?> elements) {
        this.elements = elements.toArray();
    }

    public int length() {
        return elements.length;
    }

    /** CLHS {@code svref}. */
    public Object get(int index) {
        return elements[index];
    }
}
