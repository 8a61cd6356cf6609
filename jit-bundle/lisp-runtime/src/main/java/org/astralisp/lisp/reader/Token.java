package org.astralisp.lisp.reader;

import java.util.BitSet;

/**
 * An accumulated token (CLHS 2.2 steps 8-9): its characters after case conversion, which of them were escaped,
 * the text positions at which a multiple escape {@code |} occurred (so that {@code ||} counts as an escape
 * though it adds no character), and where it starts.
 */
record Token(String text, BitSet escaped, BitSet bars, int line, int column) {

    boolean hasEscapes() {
        return !escaped.isEmpty() || !bars.isEmpty();
    }

    /** Whether any escape occurred at or after text position {@code from}. */
    boolean hasEscapesFrom(int from) {
        return escaped.nextSetBit(from) >= 0 || bars.nextSetBit(from) >= 0;
    }

    /** The index of the first unescaped {@code c} at or after {@code from}, or -1. */
    int indexOfUnescaped(char c, int from) {
        for (int i = text.indexOf(c, from); i >= 0; i = text.indexOf(c, i + 1)) {
            if (!escaped.get(i)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether every character is an unescaped dot (CLHS 2.3.3). */
    boolean isAllDots() {
        return !hasEscapes() && !text.isEmpty() && text.chars().allMatch(ch -> ch == '.');
    }
}
