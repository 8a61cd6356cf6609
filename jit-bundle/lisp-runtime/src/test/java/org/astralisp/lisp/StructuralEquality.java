package org.astralisp.lisp;

import java.util.Objects;
import org.astralisp.lisp.data.Cons;
import org.astralisp.lisp.data.SimpleVector;
import org.astralisp.lisp.data.Symbol;

/**
 * CLHS {@code equal}, extended to compare vectors element-wise (as {@code equalp} does) and uninterned
 * symbols by name: what a read/print round trip preserves.
 */
public final class StructuralEquality {

    private StructuralEquality() {
    }

    public static boolean same(Object a, Object b) {
        if (a instanceof Cons x && b instanceof Cons y) {
            return same(x.car(), y.car()) && same(x.cdr(), y.cdr());
        }
        if (a instanceof SimpleVector x && b instanceof SimpleVector y) {
            if (x.length() != y.length()) {
                return false;
            }
            for (int i = 0; i < x.length(); i++) {
                if (!same(x.get(i), y.get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (a instanceof Symbol x && b instanceof Symbol y && x.homePackage() == null && y.homePackage() == null) {
            return x.name().equals(y.name());
        }
        return a instanceof Symbol || b instanceof Symbol ? a == b : Objects.equals(a, b);
    }
}
