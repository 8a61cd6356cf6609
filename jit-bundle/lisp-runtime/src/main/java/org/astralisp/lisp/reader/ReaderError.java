package org.astralisp.lisp.reader;

/**
 * A reader error (CLHS {@code reader-error}): what was wrong, and the line and column (both from 1) where the
 * offending construct starts. For end of input inside a construct that is where the construct was opened.
 */
public final class ReaderError extends RuntimeException {

    /** What went wrong. */
    public enum Kind {
        UNBALANCED_CLOSE_PARENTHESIS,
        END_OF_INPUT,
        UNKNOWN_DISPATCH_CHARACTER,
        BAD_TOKEN,
        UNKNOWN_PACKAGE,
        SYMBOL_NOT_EXTERNAL,
        DOT_CONTEXT,
        COMMA_OUTSIDE_BACKQUOTE,
        UNKNOWN_CHARACTER_NAME,
        BAD_NUMBER,
        READ_EVAL_DISABLED,
        NO_EVALUATOR,
        BAD_FEATURE_EXPRESSION,
        NESTING_TOO_DEEP
    }

    private final Kind kind;
    private final int line;
    private final int column;
    private final String detail;

    public ReaderError(Kind kind, int line, int column, String detail) {
        super("line " + line + ", column " + column + ": " + detail);
        this.kind = kind;
        this.line = line;
        this.column = column;
        this.detail = detail;
    }

    public Kind kind() {
        return kind;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message without the position. */
    public String detail() {
        return detail;
    }
}
