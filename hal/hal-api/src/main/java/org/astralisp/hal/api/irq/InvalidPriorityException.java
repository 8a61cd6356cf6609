package org.astralisp.hal.api.irq;

/** A priority or threshold outside {@code 0..maxPriority()} (priorities start at 1). */
public final class InvalidPriorityException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final int priority;

    public InvalidPriorityException(String controller, String what, int priority, int min, int max) {
        super(controller + ": " + what + " " + priority + " is outside " + min + ".." + max);
        this.priority = priority;
    }

    public int priority() {
        return priority;
    }

    /** Returns {@code priority} if it is in {@code min..max}, else throws this exception. */
    public static int check(String controller, String what, int priority, int min, int max) {
        if (priority < min || priority > max) {
            throw new InvalidPriorityException(controller, what, priority, min, max);
        }
        return priority;
    }
}
