package org.astralisp.lisp.reader;

import java.math.BigInteger;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.astralisp.lisp.data.FloatFormat;
import org.astralisp.lisp.data.Integers;
import org.astralisp.lisp.data.Ratio;

/**
 * The syntax of numbers as tokens (CLHS 2.3.1, Figure 2-9): integers in {@code *read-base*} or decimal with a
 * trailing decimal point, ratios in {@code *read-base*}, and decimal floats with the exponent markers
 * {@code e s f d l} (CLHS 2.3.2.2). Integer and ratio syntax are tried before float syntax.
 */
public final class NumberSyntax {

    private static final Pattern DECIMAL_INTEGER = Pattern.compile("([+-]?[0-9]+)\\.");
    private static final Pattern FLOAT = Pattern.compile(
            "([+-]?(?:[0-9]*\\.[0-9]+|[0-9]+(?:\\.[0-9]*)?(?=[ESFDL])))(?:([ESFDL])([+-]?[0-9]+))?");

    /** The token is not a number. */
    static final Object NOT_A_NUMBER = new Object();

    private NumberSyntax() {
    }

    /**
     * The number {@code token} denotes, or {@link #NOT_A_NUMBER}.
     *
     * @throws ArithmeticException for a ratio with denominator zero or a float out of range
     */
    static Object parse(String token, int base, FloatFormat defaultFormat) {
        Object rational = parseRational(token, base);
        if (rational != NOT_A_NUMBER) {
            return rational;
        }
        String upper = token.toUpperCase(Locale.ROOT);
        Matcher decimal = DECIMAL_INTEGER.matcher(upper);
        if (decimal.matches()) {
            return Integers.normalize(new BigInteger(stripPlus(decimal.group(1))));
        }
        Matcher f = FLOAT.matcher(upper);
        if (f.matches()) {
            return parseFloat(token, f, defaultFormat);
        }
        return NOT_A_NUMBER;
    }

    /**
     * The rational {@code token} denotes in {@code base} (integer or ratio syntax only, as {@code #x #b #o #r}
     * read, CLHS 2.4.8.7-2.4.8.10), or {@link #NOT_A_NUMBER}.
     *
     * @throws ArithmeticException for a ratio with denominator zero
     */
    static Object parseRational(String token, int base) {
        String upper = token.toUpperCase(Locale.ROOT);
        if (isDigits(upper, base, 0, upper.length())) {
            return Integers.normalize(new BigInteger(stripPlus(upper), base));
        }
        return parseRatio(upper, base);
    }

    private static Object parseRatio(String upper, int base) {
        int slash = upper.indexOf('/');
        if (slash > 0 && isDigits(upper, base, 0, slash) && isUnsignedDigits(upper, base, slash + 1, upper.length())) {
            return Ratio.of(new BigInteger(stripPlus(upper.substring(0, slash)), base),
                    new BigInteger(upper.substring(slash + 1), base));
        }
        return NOT_A_NUMBER;
    }

    /** Whether {@code token} (as the printer would write a symbol name) reads as a number. */
    public static boolean readsAsNumber(String token, int base) {
        try {
            return parse(token, base, FloatFormat.SINGLE_FLOAT) != NOT_A_NUMBER;
        } catch (ArithmeticException e) {
            return true;
        }
    }

    private static Object parseFloat(String token, Matcher f, FloatFormat defaultFormat) {
        String marker = f.group(2);
        FloatFormat format = marker == null || marker.equals("E") ? defaultFormat
                : marker.equals("S") || marker.equals("F") ? FloatFormat.SINGLE_FLOAT : FloatFormat.DOUBLE_FLOAT;
        String javaSyntax = f.group(1) + (marker == null ? "" : "E" + f.group(3));
        if (format == FloatFormat.SINGLE_FLOAT) {
            float value = Float.parseFloat(javaSyntax);
            if (Float.isInfinite(value)) {
                throw new ArithmeticException("floating-point overflow reading " + token + " as a single-float");
            }
            return value;
        }
        double value = Double.parseDouble(javaSyntax);
        if (Double.isInfinite(value)) {
            throw new ArithmeticException("floating-point overflow reading " + token + " as a double-float");
        }
        return value;
    }

    private static boolean isDigits(String s, int base, int from, int to) {
        int start = from < to && (s.charAt(from) == '+' || s.charAt(from) == '-') ? from + 1 : from;
        return isUnsignedDigits(s, base, start, to);
    }

    private static boolean isUnsignedDigits(String s, int base, int from, int to) {
        if (from >= to) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (Character.digit(s.charAt(i), base) < 0 || s.charAt(i) > 'Z') {
                return false;
            }
        }
        return true;
    }

    private static String stripPlus(String digits) {
        return digits.startsWith("+") ? digits.substring(1) : digits;
    }
}
