package org.astralisp.lisp.data;

import java.math.BigInteger;

/**
 * The integer representation: a {@link Long} (the fixnum range is the 64-bit range) or, beyond it, a
 * {@link BigInteger}. Every integer this bundle makes is normalised, so each value has one representation
 * and {@code eql} integers are {@code equals}.
 */
public final class Integers {

    private static final BigInteger LONG_MIN = BigInteger.valueOf(Long.MIN_VALUE);
    private static final BigInteger LONG_MAX = BigInteger.valueOf(Long.MAX_VALUE);

    private Integers() {
    }

    /** {@code value} as a {@link Long} when it fits, else the {@link BigInteger} itself. */
    public static Object normalize(BigInteger value) {
        return value.compareTo(LONG_MIN) >= 0 && value.compareTo(LONG_MAX) <= 0 ? (Object) value.longValue() : value;
    }
}
