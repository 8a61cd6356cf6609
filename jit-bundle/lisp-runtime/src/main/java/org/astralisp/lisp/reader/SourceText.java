package org.astralisp.lisp.reader;

/** Characters being read, by code point, with the line and column (from 1) of the next one. */
public final class SourceText {

    static final int EOF = -1;

    private final String text;
    private int offset;
    private int line = 1;
    private int column = 1;

    public SourceText(String text) {
        this.text = text;
    }

    /** The next code point without consuming it, or {@link #EOF}. */
    int peek() {
        return offset < text.length() ? text.codePointAt(offset) : EOF;
    }

    /** Consumes and returns the next code point, or {@link #EOF}. */
    int next() {
        int c = peek();
        if (c != EOF) {
            offset += Character.charCount(c);
            if (c == '\n') {
                line++;
                column = 1;
            } else {
                column++;
            }
        }
        return c;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
