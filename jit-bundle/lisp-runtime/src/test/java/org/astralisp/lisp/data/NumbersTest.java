package org.astralisp.lisp.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class NumbersTest {

    @Test
    void integersThatFitALongAreLongs() {
        assertEquals(Long.MAX_VALUE, Integers.normalize(BigInteger.valueOf(Long.MAX_VALUE)));
        BigInteger beyond = BigInteger.valueOf(Long.MAX_VALUE).add(BigInteger.ONE);
        assertEquals(beyond, Integers.normalize(beyond));
    }

    @Test
    void ratiosAreInLowestTermsWithAPositiveDenominator() {
        assertEquals(new Ratio(BigInteger.valueOf(-2), BigInteger.valueOf(3)),
                Ratio.of(BigInteger.valueOf(4), BigInteger.valueOf(-6)));
    }

    @Test
    void aRatioWhoseDenominatorDividesIsAnInteger() {
        assertEquals(2L, Ratio.of(BigInteger.valueOf(6), BigInteger.valueOf(3)));
    }

    @Test
    void aZeroDenominatorIsDivisionByZero() {
        assertThrows(ArithmeticException.class, () -> Ratio.of(BigInteger.ONE, BigInteger.ZERO));
    }

    @Test
    void aRatioNotInLowestTermsCannotBeMade() {
        assertThrows(IllegalArgumentException.class, () -> new Ratio(BigInteger.TWO, BigInteger.valueOf(4)));
    }

    @Test
    void charactersHaveCaseInsensitiveNames() {
        assertEquals(new LispCharacter(' '), LispCharacter.named("space"));
        assertEquals("Newline", new LispCharacter('\n').name());
        assertEquals(null, LispCharacter.named("NoSuchName"));
    }
}
