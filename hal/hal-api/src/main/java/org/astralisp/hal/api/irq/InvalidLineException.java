package org.astralisp.hal.api.irq;

/** A line number the controller does not have. */
public final class InvalidLineException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int line;

    public InvalidLineException(String controller, int line, int first, int last) {
        super(controller + ": no interrupt line " + line + " (lines are " + first + ".." + last + ")");
        this.line = line;
    }

    public int line() {
        return line;
    }

    /** Returns {@code line} if it is in {@code first..last}, else throws this exception. */
    public static int check(String controller, int line, int first, int last) {
        if (line < first || line > last) {
            throw new InvalidLineException(controller, line, first, last);
        }
        return line;
    }
}
