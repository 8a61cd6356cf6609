package org.astralisp.hal.api.irq;

import java.util.Objects;

/**
 * One claimed interrupt: its kind and, for {@link InterruptKind#EXTERNAL}, the
 * controller line. Invariant: {@code line >= 0} exactly when the kind is
 * {@code EXTERNAL}; otherwise it is {@link #NO_LINE}.
 *
 * @param kind what the cause was
 * @param line the device line, or {@link #NO_LINE}
 */
public record Interrupt(InterruptKind kind, int line) {

    /** The line of anything that is not a device line. */
    public static final int NO_LINE = -1;

    public static final Interrupt TIMER = new Interrupt(InterruptKind.TIMER, NO_LINE);
    public static final Interrupt IPI = new Interrupt(InterruptKind.IPI, NO_LINE);
    public static final Interrupt SPURIOUS = new Interrupt(InterruptKind.SPURIOUS, NO_LINE);
    public static final Interrupt UNKNOWN = new Interrupt(InterruptKind.UNKNOWN, NO_LINE);

    public Interrupt {
        Objects.requireNonNull(kind, "kind");
        if ((kind == InterruptKind.EXTERNAL) != (line >= 0) || line < NO_LINE) {
            throw new IllegalArgumentException(kind + " interrupt with line " + line
                    + ": only an EXTERNAL interrupt has a line, and it is not negative");
        }
    }

    /** The device line {@code line}. */
    public static Interrupt external(int line) {
        return new Interrupt(InterruptKind.EXTERNAL, line);
    }
}
