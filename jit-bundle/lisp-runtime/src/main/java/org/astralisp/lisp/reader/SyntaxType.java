package org.astralisp.lisp.reader;

/** The syntax types of the standard readtable (CLHS 2.1.4, Figure 2-7). */
public enum SyntaxType {
    WHITESPACE, TERMINATING_MACRO, NON_TERMINATING_MACRO, SINGLE_ESCAPE, MULTIPLE_ESCAPE, CONSTITUENT;

    /** The standard syntax type of code point {@code c}. */
    public static SyntaxType of(int c) {
        return switch (c) {
            case '\t', '\n', '\f', '\r', ' ' -> WHITESPACE;
            case '"', '\'', '(', ')', ',', ';', '`' -> TERMINATING_MACRO;
            case '#' -> NON_TERMINATING_MACRO;
            case '\\' -> SINGLE_ESCAPE;
            case '|' -> MULTIPLE_ESCAPE;
            default -> CONSTITUENT;
        };
    }

    /** Whether {@code c} ends a token (whitespace or a terminating macro character, CLHS 2.2 step 8). */
    public static boolean endsToken(int c) {
        SyntaxType t = of(c);
        return t == WHITESPACE || t == TERMINATING_MACRO;
    }
}
