package org.astralisp.lisp.reader;

import java.util.BitSet;

/**
 * An accumulated token (CLHS 2.2 steps 8-9): its characters after case conversion, which of them were escaped,
 * and where it starts.
 */
record Token(String text, BitSet escaped, int line, int column) {

    boolean hasEscapes() {
        return !escaped.isEmpty();
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
