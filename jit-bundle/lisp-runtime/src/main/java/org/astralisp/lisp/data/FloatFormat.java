package org.astralisp.lisp.data;

/**
 * The float formats (CLHS 12.1.4): {@code short-float} and {@code single-float} are {@link Float},
 * {@code double-float} and {@code long-float} are {@link Double}. Values of {@code *read-default-float-format*}.
 */
public enum FloatFormat {
    SINGLE_FLOAT('f'),
    DOUBLE_FLOAT('d');

    private final char exponentMarker;

    FloatFormat(char exponentMarker) {
        this.exponentMarker = exponentMarker;
    }

    /** The exponent marker the printer writes for this format when it is not the default (CLHS 22.1.3.1.3). */
    public char exponentMarker() {
        return exponentMarker;
    }

    /** The format of a float value. */
    public static FloatFormat of(Object value) {
        return value instanceof Float ? SINGLE_FLOAT : DOUBLE_FLOAT;
    }
}
