package org.astralisp.lisp.printer;

import org.astralisp.lisp.data.FloatFormat;
import org.astralisp.lisp.data.LispPackage;

/**
 * The printer variables (CLHS 22.1.1.1), passed as a value until the runtime binds them dynamically.
 *
 * @param currentPackage {@code *package*}: symbols accessible there print without a package prefix
 * @param length {@code *print-length*}, or {@code -1} for NIL (no limit)
 * @param level {@code *print-level*}, or {@code -1} for NIL (no limit)
 */
public record PrintSettings(boolean escape, boolean readably, int base, boolean radix, PrintCase printCase,
        int length, int level, LispPackage currentPackage, FloatFormat readDefaultFloatFormat) {

    public static final int NO_LIMIT = -1;

    public PrintSettings {
        if (base < 2 || base > 36) {
            throw new IllegalArgumentException("*print-base* must be 2..36, not " + base);
        }
    }

    /** {@code prin1}'s settings: escape true, everything else standard. */
    public static PrintSettings prin1(LispPackage currentPackage) {
        return new PrintSettings(true, false, 10, false, PrintCase.UPCASE, NO_LIMIT, NO_LIMIT, currentPackage,
                FloatFormat.SINGLE_FLOAT);
    }

    /** {@code princ}'s settings: escape false (CLHS princ). */
    public static PrintSettings princ(LispPackage currentPackage) {
        return prin1(currentPackage).withEscape(false);
    }

    public PrintSettings withEscape(boolean e) {
        return new PrintSettings(e, readably, base, radix, printCase, length, level, currentPackage, readDefaultFloatFormat);
    }

    public PrintSettings withReadably(boolean r) {
        return new PrintSettings(escape, r, base, radix, printCase, length, level, currentPackage, readDefaultFloatFormat);
    }

    public PrintSettings withBase(int b, boolean withRadix) {
        return new PrintSettings(escape, readably, b, withRadix, printCase, length, level, currentPackage, readDefaultFloatFormat);
    }

    public PrintSettings withCase(PrintCase c) {
        return new PrintSettings(escape, readably, base, radix, c, length, level, currentPackage, readDefaultFloatFormat);
    }

    public PrintSettings withLimits(int maxLength, int maxLevel) {
        return new PrintSettings(escape, readably, base, radix, printCase, maxLength, maxLevel, currentPackage,
                readDefaultFloatFormat);
    }

    public PrintSettings withReadDefaultFloatFormat(FloatFormat f) {
        return new PrintSettings(escape, readably, base, radix, printCase, length, level, currentPackage, f);
    }

    /** CLHS {@code *print-readably*}: when true, escape is on and length and level are ignored. */
    boolean escaping() {
        return escape || readably;
    }

    int effectiveLength() {
        return readably ? NO_LIMIT : length;
    }

    int effectiveLevel() {
        return readably ? NO_LIMIT : level;
    }
}
