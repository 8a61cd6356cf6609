package org.astralisp.lisp.data;

import java.math.BigInteger;

/**
 * A ratio in lowest terms with a positive denominator greater than 1 (CLHS 12.1.3.2, the rule of canonical
 * representation for rationals): {@link #of} returns an integer when the denominator divides the numerator.
 */
public record Ratio(BigInteger numerator, BigInteger denominator) {

    public Ratio {
        if (denominator.signum() <= 0 || denominator.equals(BigInteger.ONE)
                || !numerator.gcd(denominator).equals(BigInteger.ONE)) {
            throw new IllegalArgumentException("not a normalised ratio: " + numerator + "/" + denominator);
        }
    }

    /**
     * The rational {@code numerator/denominator}: a {@link Ratio}, or an integer as {@link Integers#normalize}.
     *
     * @throws ArithmeticException when the denominator is zero (CLHS {@code division-by-zero})
     */
    public static Object of(BigInteger numerator, BigInteger denominator) {
        if (denominator.signum() == 0) {
            throw new ArithmeticException("division by zero: " + numerator + "/0");
        }
        BigInteger gcd = numerator.gcd(denominator);
        BigInteger n = numerator.divide(gcd);
        BigInteger d = denominator.divide(gcd);
        if (d.signum() < 0) {
            n = n.negate();
            d = d.negate();
        }
        return d.equals(BigInteger.ONE) ? Integers.normalize(n) : new Ratio(n, d);
    }
}
